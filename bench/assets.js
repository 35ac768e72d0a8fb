// Goal 5 of issue 18: construction with the script cache (lib/defaults/assets.ts) against reading
// every script from disk each time, alternating in one process (so both see the same load), on
// the compiled library (npm run build:tsc first). Usage: node bench/assets.js [clusters=200] [rounds=7]
const fs = require('fs');
const path = require('path');
const { App, Chart } = require('cdk8s');
const lib = require('../build');
const assets = require('../build/defaults/assets');

const n = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 7);
const cached = assets.readAsset;
let reads = 0;
const uncached = (directory, fileName) => { reads++; return fs.readFileSync(path.join(directory, fileName), 'utf8'); };
const realRead = fs.readFileSync;
let cachedReads = 0;

function construct(readAsset) {
  assets.readAsset = readAsset; // every module calls (0, assets_1.readAsset)(...): the export is read per call
  const app = new App({ outdir: '/tmp/unused' });
  const chart = new Chart(app, 'c');
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) new lib.PostgresCluster(chart, `db${i}`, {});
  return Number(process.hrtime.bigint() - t) / 1e6;
}
fs.readFileSync = (...a) => { cachedReads++; return realRead(...a); };
construct(cached); construct(uncached); // warm up the JIT and the cache
const times = { cached: [], uncached: [] };
reads = 0; cachedReads = 0;
for (let r = 0; r < rounds; r++) {
  const before = cachedReads;
  times.cached.push(construct(cached));
  if (r === 0) times.cachedReads = cachedReads - before;
  reads = 0;
  times.uncached.push(construct(uncached));
  if (r === 0) times.uncachedReads = reads;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const c = median(times.cached);
const u = median(times.uncached);
console.log(`| construct ${n} PostgresClusters | median of ${rounds} | min | file reads |`);
console.log('|---|---|---|---|');
console.log(`| scripts cached (lib/defaults/assets.ts) | ${c.toFixed(0)} ms | ${Math.min(...times.cached).toFixed(0)} ms | ${times.cachedReads} |`);
console.log(`| every script read from disk | ${u.toFixed(0)} ms | ${Math.min(...times.uncached).toFixed(0)} ms | ${times.uncachedReads} |`);
console.log(`The cache saves ${(100 * (u - c) / u).toFixed(0)}% of construction time (alternating in one process, load ${require('os').loadavg()[0].toFixed(1)}).`);
