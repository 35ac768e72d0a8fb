// Measures what packaging costs: compile time of tsc (npm run build) and jsii (npm run jsii), the
// `npm pack` tarball, and the node_modules of an empty cdk8s app that installs it, without and
// with kubernetes-models (the harness's optional dependency).
// Usage: node scripts/bench-package.js [compile runs, default 3]. Works in temporary directories.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const ours = require(path.join(root, 'package.json'));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function timed(cmd, args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, status: result.status, output: `${result.stdout}${result.stderr}` };
}

// A copy of what jsii and tsc read, so neither writes into the working tree.
const project = path.join(work, 'project');
fs.mkdirSync(project);
for (const entry of ['lib', 'package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json']) fs.cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');

const times = { tsc: [], jsii: [] };
let jsiiSummary = '';
for (let i = 0; i < runs; i++) {
  fs.rmSync(path.join(project, 'build'), { recursive: true, force: true });
  times.tsc.push(timed(bin('tsc'), ['-p', 'tsconfig.build.json'], project).seconds);
  fs.rmSync(path.join(project, 'build'), { recursive: true, force: true });
  const jsii = timed(bin('jsii'), ['--generate-tsconfig', 'tsconfig.jsii.json'], project);
  times.jsii.push(jsii.seconds);
  // eslint-disable-next-line no-control-regex
  jsiiSummary = (jsii.output.replace(/\x1b\[[0-9;]*m/g, '').match(/Errors: \d+ \| Warnings: \d+/) ?? ['no summary'])[0];
}

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/^[^[]*/s, ''));

function installSize(app) {
  const du = execFileSync('du', ['-sk', path.join(app, 'node_modules')], { encoding: 'utf8' });
  const packages = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: app, encoding: 'utf8' }).trim().split('\n').length - 1;
  return { bytes: Number(du.split('\t')[0]) * 1024, packages };
}
const app = path.join(work, 'app');
fs.mkdirSync(app);
fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
  name: 'user-app', private: true,
  dependencies: Object.fromEntries(Object.keys(ours.peerDependencies).map((peer) => [peer, ours.devDependencies[peer]])),
}));
const npmInstall = (...args) => execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd: app, stdio: 'ignore' });
npmInstall(path.join(work, pack.filename));
const without = installSize(app);
npmInstall('--save-dev', `kubernetes-models@${ours.devDependencies['kubernetes-models']}`);
const withModels = installSize(app);

console.log(`compile, median of ${runs} (s): tsc -p tsconfig.build.json ${median(times.tsc).toFixed(1)} [${times.tsc.map((t) => t.toFixed(1)).join(', ')}]; `
  + `jsii ${median(times.jsii).toFixed(1)} [${times.jsii.map((t) => t.toFixed(1)).join(', ')}] (${jsiiSummary})`);
console.log(`npm pack: ${pack.filename} ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files`);
console.log(`app node_modules without kubernetes-models: ${mib(without.bytes)}, ${without.packages} packages`);
console.log(`app node_modules with kubernetes-models:    ${mib(withModels.bytes)}, ${withModels.packages} packages (+${mib(withModels.bytes - without.bytes)}, +${withModels.packages - without.packages})`);
fs.rmSync(work, { recursive: true, force: true });
