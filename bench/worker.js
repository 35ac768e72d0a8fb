// One measurement in a fresh process: node bench/worker.js <variant> <N> [charts] [options as JSON]
// Prints one JSON line: load, construct and synth times (ms), peak RSS (MiB), objects, bytes.
// Variants:
//   lib      N PostgresClusters (compiled library, build/)
//   hand     the same objects written by hand with cdk8s-plus-27 + L1 (bench/handwritten.js)
//   mixed    each family N times (PostgreSQL, MySQL, Redis clusters, a BackupCronJob per PostgreSQL
//            cluster, a BatchJob), spread over `charts` charts, one namespace each
// Options: { "clientKey": "per-cluster" } gives every cluster the old default client label
// `<name>-client: "true"` (a distinct key per cluster) instead of the library's default;
// { "uncachedAssets": true } makes every script read go to the disk (the state before the cache).
const fs = require('fs');
const os = require('os');
const path = require('path');

const [variant, nArg, chartsArg, optionsArg] = process.argv.slice(2);
const n = Number(nArg);
const chartCount = Number(chartsArg ?? 1);
const options = optionsArg ? JSON.parse(optionsArg) : {};
const build = path.join(__dirname, '..', 'build');
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

let t = process.hrtime.bigint();
const { App, Chart, Cron, Size, ApiObject } = require('cdk8s');
require('cdk8s-plus-27');
const lib = variant === 'hand' ? undefined : require(build);
const { handWrittenPostgres } = variant === 'hand' ? require('./handwritten') : {};
const load = ms(t);

if (options.uncachedAssets) {
  // Every module calls `(0, assets_1.readAsset)(...)`, so replacing the export reaches them all.
  const assets = require(path.join(build, 'defaults', 'assets'));
  assets.readAsset = (directory, fileName) => fs.readFileSync(path.join(directory, fileName), 'utf8');
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-bench-'));
const app = new App({ outdir });
const charts = Array.from({ length: chartCount }, (_, i) => new Chart(app, `bench-${i}`, { namespace: `bench-${i}` }));
const chartFor = (i) => charts[i % chartCount];
const clientLabels = (name) => (options.clientKey === 'per-cluster' ? { [`${name}-client`]: 'true' } : undefined);

t = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const name = `db${i}`;
  const chart = chartFor(i);
  if (variant === 'hand') {
    handWrittenPostgres(chart, name, clientLabels(name) ?? { 'cdk8s-workloads.io/client-of': name });
  } else if (variant === 'lib') {
    new lib.PostgresCluster(chart, name, { clientLabels: clientLabels(name) });
  } else if (variant === 'mixed') {
    const pg = new lib.PostgresCluster(chart, `pg${i}`, { clientLabels: clientLabels(`pg${i}`) });
    new lib.MySqlCluster(chart, `my${i}`, { clientLabels: clientLabels(`my${i}`) });
    new lib.RedisCluster(chart, `redis${i}`, { clientLabels: clientLabels(`redis${i}`) });
    new lib.BackupCronJob(chart, `pg${i}-backup`, {
      database: pg,
      schedule: lib.BackupSchedule.cron(Cron.schedule({ minute: '0', hour: '3' })),
      target: lib.BackupTarget.persistentVolume({ size: Size.gibibytes(20) }),
    });
    new lib.BatchJob(chart, `job${i}`, { name: `report${i}`, pattern: lib.JobPattern.singleRun(), image: 'ghcr.io/example/reports:2.3.1' });
  } else {
    throw new Error(`unknown variant ${variant}`);
  }
}
const construct = ms(t);
const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;

t = process.hrtime.bigint();
app.synth();
const synth = ms(t);

let bytes = 0;
for (const file of fs.readdirSync(outdir)) bytes += fs.statSync(path.join(outdir, file)).size;
fs.rmSync(outdir, { recursive: true, force: true });
const peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ variant, n, charts: chartCount, options, load, construct, synth, peakMiB, objects, bytes })}\n`);
