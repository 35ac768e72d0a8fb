// Measures `npm run synth` (ts-node --transpile-only) against type-checking ts-node on the same
// examples, in one run so the ratio holds on a noisy shared machine. Usage: node scripts/bench-synth.js [runs]
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const runs = Number(process.argv[2] ?? 5);
const root = path.resolve(__dirname, '..');
const tsNode = path.join(root, 'node_modules', '.bin', 'ts-node');

function measure(args) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const script = `require('./examples/main').buildExamples(${JSON.stringify(outdir)}).synth()`;
  const started = process.hrtime.bigint();
  // GNU time prints the peak resident set size (KiB) as the last line of stderr.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', tsNode, ...args, '-e', script], { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(result.stderr);
  fs.rmSync(outdir, { recursive: true, force: true });
  const peakMiB = Number(result.stderr.trim().split('\n').pop()) / 1024;
  return { seconds, peakMiB };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const variants = { 'transpile-only (npm run synth)': ['--transpile-only'], 'type-checking ts-node': [] };
const results = {};
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(variants)) (results[name] ??= []).push(measure(args));
}
const fast = median(results['transpile-only (npm run synth)'].map((r) => r.seconds));
for (const [name, samples] of Object.entries(results)) {
  const m = median(samples.map((r) => r.seconds));
  const memory = median(samples.map((r) => r.peakMiB));
  console.log(`${name}: median ${m.toFixed(2)} s (${(m / fast).toFixed(1)}x), peak RSS ${memory.toFixed(0)} MiB, ${runs} runs`);
}
