// `npm run bench`: the library against the same objects written by hand (bench/handwritten.js), in
// separate processes (bench/worker.js), interleaved so both sides see the same machine load; min and
// median of each. Compiles the library first (npm run build:tsc) so ts-node is not measured.
// Usage: node bench/run.js [--runs 3] [--sizes 10,100,1000,10000] [--mixed 1000] [--quick]
//        [--key-sizes 1000,2000] [--no-build] [--json out.json]
//        [--from-log stderr.txt]: the tables from the samples an earlier (perhaps interrupted) run
//        printed to stderr, with the same size flags
// The markdown tables go to stdout; --json also writes every sample.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
};
const quick = args.includes('--quick');
const runs = Number(flag('runs', quick ? 1 : 3));
const sizes = flag('sizes', quick ? '10,100' : '10,100,1000,10000').split(',').map(Number);
const mixedN = Number(flag('mixed', quick ? 20 : 1000));
const mixedCharts = 5;
const oldKeySizes = flag('key-sizes', quick ? '100' : '1000,2000').split(',').map(Number);
const root = path.resolve(__dirname, '..');

const fromLog = flag('from-log', undefined);
if (!fromLog && !args.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build:tsc'], { cwd: root, stdio: 'inherit' });

/** The configurations, in the order they run within each round. */
const configs = [];
for (const n of sizes) {
  configs.push({ group: 'clusters', label: `lib N=${n}`, variant: 'lib', n });
  configs.push({ group: 'clusters', label: `hand N=${n}`, variant: 'hand', n });
}
configs.push({ group: 'mixed', label: `mixed N=${mixedN}, ${mixedCharts} charts`, variant: 'mixed', n: mixedN, charts: mixedCharts });
configs.push({ group: 'mixed', label: `mixed N=${mixedN}, 1 chart`, variant: 'mixed', n: mixedN, charts: 1 });
for (const n of oldKeySizes) {
  configs.push({ group: 'keys', label: `lib N=${n}, key per cluster`, variant: 'lib', n, options: { clientKey: 'per-cluster' } });
  configs.push({ group: 'keys', label: `hand N=${n}, key per cluster`, variant: 'hand', n, options: { clientKey: 'per-cluster' } });
}
const assetsN = quick ? 100 : 1000;
configs.push({ group: 'assets', label: `lib N=${assetsN}, scripts read every time`, variant: 'lib', n: assetsN, options: { uncachedAssets: true } });

function measure(config) {
  const workerArgs = ['--max-old-space-size=12288', path.join(__dirname, 'worker.js'), config.variant, String(config.n), String(config.charts ?? 1)];
  if (config.options) workerArgs.push(JSON.stringify(config.options));
  const result = spawnSync(process.execPath, workerArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${config.label} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const samples = new Map(configs.map((c) => [c.label, []]));
const loads = [];
let started = new Date();
if (fromLog) {
  started = fs.statSync(fromLog).mtime;
  for (const line of fs.readFileSync(fromLog, 'utf8').split('\n')) {
    const m = line.match(/^round \d+\/\d+: (.*?): (\{.*\})$/);
    if (m && samples.has(m[1])) samples.get(m[1]).push(JSON.parse(m[2]));
  }
  for (const [label, xs] of samples) if (xs.length === 0) { samples.delete(label); configs.splice(configs.findIndex((c) => c.label === label), 1); }
  loads.push(...os.loadavg());
}
for (let round = 0; round < (fromLog ? 0 : runs); round++) {
  for (const config of configs) {
    loads.push(os.loadavg()[0]);
    const sample = measure(config);
    samples.get(config.label).push(sample);
    process.stderr.write(`round ${round + 1}/${runs}: ${config.label}: ${JSON.stringify(sample)}\n`);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs) => Math.min(...xs);
const stat = (label, field) => {
  const xs = samples.get(label).map((s) => (field === 'work' ? s.construct + s.synth : s[field]));
  return { min: min(xs), median: median(xs) };
};
const ms = (x) => (x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const cell = (label, field) => {
  const { min: lo, median: mid } = stat(label, field);
  return `${ms(mid)} (${ms(lo)})`;
};
const first = (label) => samples.get(label)[0];
const perObject = (label) => stat(label, 'work').median / first(label).objects;

const lines = [];
const out = (line = '') => lines.push(line);
out(`${fromLog ? 'Samples of the run started' : 'Run'} ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${fromLog ? `${Math.max(...[...samples.values()].map((x) => x.length))} rounds at most (from ${path.basename(fromLog)})` : `${runs} rounds`}, interleaved, separate processes.`);
out(`1-minute load average ${fromLog ? 'when the tables were made' : 'while running'}: min ${min(loads).toFixed(1)}, median ${median(loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}.`);
out('Times: median (min). work = construct + synth. Per-object ratio: median work per object, library / hand-written.');
out();
out('| configuration | objects | YAML | load | construct | synth | work | peak RSS | per object | ratio |');
out('|---|---|---|---|---|---|---|---|---|---|');
for (const config of configs) {
  const s = first(config.label);
  const hand = config.variant === 'lib' && !config.options?.uncachedAssets ? `hand N=${config.n}${config.options?.clientKey ? ', key per cluster' : ''}` : undefined;
  const ratio = hand && samples.has(hand) ? `${(perObject(config.label) / perObject(hand)).toFixed(2)}x` : '';
  out(`| ${config.label} | ${s.objects} | ${(s.bytes / 2 ** 20).toFixed(1)} MiB | ${cell(config.label, 'load')} | ${cell(config.label, 'construct')} | ${cell(config.label, 'synth')} | ${cell(config.label, 'work')} | ${stat(config.label, 'peakMiB').median.toFixed(0)} MiB | ${(1000 * perObject(config.label)).toFixed(0)} µs | ${ratio} |`);
}
out();
const linear = (variant, suffix = '') => {
  const pairs = [];
  for (let i = 1; i < sizes.length; i++) {
    const a = `${variant} N=${sizes[i - 1]}${suffix}`;
    const b = `${variant} N=${sizes[i]}${suffix}`;
    pairs.push(`work(${sizes[i]})/work(${sizes[i - 1]}) = ${(stat(b, 'work').median / stat(a, 'work').median).toFixed(1)}`);
  }
  return pairs.join(', ');
};
if (sizes.length > 1 && sizes.every((n) => samples.has(`lib N=${n}`) && samples.has(`hand N=${n}`))) out(`Growth, library: ${linear('lib')}. Hand-written: ${linear('hand')}.`);
if (!quick) {
  const [a, b] = oldKeySizes;
  for (const variant of ['lib', 'hand']) {
    if (!samples.has(`${variant} N=${a}, key per cluster`) || !samples.has(`${variant} N=${b}, key per cluster`)) continue;
    const x = stat(`${variant} N=${a}, key per cluster`, 'work').median;
    const y = stat(`${variant} N=${b}, key per cluster`, 'work').median;
    out(`Key per cluster, ${variant}: work(${b})/work(${a}) = ${(y / x).toFixed(1)} for ${b / a}x the objects.`);
  }
}
const mixed5 = `mixed N=${mixedN}, ${mixedCharts} charts`;
const mixed1 = `mixed N=${mixedN}, 1 chart`;
if (samples.has(mixed5) && samples.has(mixed1)) out(`Mixed app: ${mixedCharts} charts cost ${(stat(mixed5, 'synth').median / stat(mixed1, 'synth').median).toFixed(2)}x the synth time of the same objects in 1 chart; per object ${(perObject(mixed5) / perObject(`hand N=${sizes.includes(1000) ? 1000 : sizes[sizes.length - 1]}`)).toFixed(2)}x the hand-written cluster's.`);
const cached = `lib N=${assetsN}`;
if (samples.has(cached) && samples.has(`lib N=${assetsN}, scripts read every time`)) {
  out(`Script reads: construct ${ms(stat(cached, 'construct').median)} with the cache, ${ms(stat(`lib N=${assetsN}, scripts read every time`, 'construct').median)} reading every script from disk each time (N=${assetsN}).`);
}
console.log(lines.join('\n'));
const json = flag('json', undefined);
if (json) fs.writeFileSync(json, JSON.stringify({ started, loads, samples: Object.fromEntries(samples) }, null, 1));
