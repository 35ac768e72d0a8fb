// `npm run synth` (scripts/synth.js, warm cache) against what it replaced (ts-node --transpile-only)
// and the compiled library, on the examples, interleaved. Each run writes into a fresh directory.
// Usage: node bench/synth.js [runs=7]
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const runs = Number(process.argv[2] ?? 7);
const root = path.resolve(__dirname, '..');
const variants = {
  'npm run synth (scripts/synth.js, warm cache)': ['npm', ['run', '-s', 'synth']],
  'node scripts/synth.js (warm cache, without npm)': [process.execPath, [path.join(root, 'scripts', 'synth.js')]],
  'ts-node --transpile-only examples/main.ts (before)': [path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', path.join(root, 'examples', 'main.ts')]],
};

function measure([command, args]) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const started = process.hrtime.bigint();
  // npm runs the script in the package root; the others write ./dist in cwd.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd: command === 'npm' ? root : cwd, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(cwd, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(result.stderr);
  return { seconds, peakMiB: Number(result.stderr.trim().split('\n').pop()) / 1024 };
}

spawnSync(process.execPath, [path.join(root, 'scripts', 'synth.js')], { cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-warm-')) });
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const loads = [];
for (let i = 0; i < runs; i++) {
  for (const [name, command] of Object.entries(variants)) {
    loads.push(os.loadavg()[0]);
    samples[name].push(measure(command));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples[Object.keys(variants)[0]].map((s) => s.seconds));
console.log(`${runs} runs each, interleaved; 1-minute load average min ${Math.min(...loads).toFixed(1)}, median ${median(loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}`);
console.log('| synth of examples/main.ts | median | min | vs npm run synth | peak RSS |');
console.log('|---|---|---|---|---|');
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs.map((s) => s.seconds));
  console.log(`| ${name} | ${m.toFixed(2)} s | ${Math.min(...xs.map((s) => s.seconds)).toFixed(2)} s | ${(m / base).toFixed(1)}x | ${median(xs.map((s) => s.peakMiB)).toFixed(0)} MiB |`);
}
