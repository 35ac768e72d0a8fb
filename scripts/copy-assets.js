// Copies the shell scripts that constructs embed (read at synth time) next to the compiled JS.
const fs = require('fs');
const path = require('path');

function copyShellScripts(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyShellScripts(source, target);
    else if (entry.name.endsWith('.sh')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}
copyShellScripts(path.join(__dirname, '..', 'lib'), path.join(__dirname, '..', 'build'));
