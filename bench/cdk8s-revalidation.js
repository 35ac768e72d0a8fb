// Upstream-style reproduction (plain cdk8s, no library): App.synth() validates the whole app once,
// then every chart.toJson() calls App._synthChart, which runs resolveDependencies(app) and
// validate(app) over the WHOLE app again: K charts cost K + 1 full passes over the tree, so the
// same objects take longer the more charts they are split into.
// Usage: node bench/cdk8s-revalidation.js [objects=20000] [runs=3]
// Each configuration runs in its own process (the parent spawns them, interleaved).
const { spawnSync } = require('child_process');
const os = require('os');
const fs = require('fs');
const path = require('path');

if (process.argv[2] === '--child') {
  const [, , , objectsArg, chartsArg, validationsArg] = process.argv;
  const { App, Chart, ApiObject } = require('cdk8s');
  const objects = Number(objectsArg);
  const chartCount = Number(chartsArg);
  const withValidations = validationsArg === '1';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'revalidate-'));
  const app = new App({ outdir });
  const charts = Array.from({ length: chartCount }, (_, i) => new Chart(app, `c${i}`, { namespace: `n${i}` }));
  let validations = 0;
  for (let i = 0; i < objects; i++) {
    const o = new ApiObject(charts[i % chartCount], `cm${i}`, { apiVersion: 'v1', kind: 'ConfigMap', data: { key: `value ${i}` } });
    // A cheap validation per object, as constructs libraries add (cdk8s-plus adds some too).
    if (withValidations) o.node.addValidation({ validate: () => { validations++; return []; } });
  }
  const t = process.hrtime.bigint();
  app.synth();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ ms, validationsPerObject: validations / objects }));
  process.exit(0);
}

const objects = Number(process.argv[2] ?? 20000);
const runs = Number(process.argv[3] ?? 3);
const chartCounts = [1, 5, 20, 50];
const samples = new Map();
for (let r = 0; r < runs; r++) {
  for (const k of chartCounts) {
    const out = spawnSync(process.execPath, [__filename, '--child', String(objects), String(k), '1'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    const s = JSON.parse(out.stdout);
    (samples.get(k) ?? samples.set(k, []).get(k)).push(s);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples.get(1).map((s) => s.ms));
console.log(`cdk8s ${require('cdk8s/package.json').version}, ${objects} ConfigMaps, ${runs} runs each, interleaved; load average ${os.loadavg()[0].toFixed(1)}`);
console.log('| charts | synth (median) | vs 1 chart | validations run per object |');
console.log('|---|---|---|---|');
for (const k of chartCounts) {
  const m = median(samples.get(k).map((s) => s.ms));
  console.log(`| ${k} | ${m.toFixed(0)} ms | ${(m / base).toFixed(2)}x | ${samples.get(k)[0].validationsPerObject} |`);
}
