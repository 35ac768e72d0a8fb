/**
 * Property-based: random prop combinations (valid values, edge values and wrong ones) either throw
 * one of the library's own ConfigurationErrors or synthesize YAML the harness accepts (schema with
 * unknown fields rejected, API-server rules, no duplicate objects). Never a TypeError, never an
 * error from cdk8s or constructs, never YAML the API server would reject.
 * Runs per construct: PROPERTY_RUNS (default 1000, about 26 s for all here; the catalogue's classes were first found with
 * 2,000). fast-check prints the seed and the shrunk counterexample on failure.
 */
import * as fc from 'fast-check';
import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BackupCronJob, BackupSchedule, BackupTarget, BatchJob, Errors, JobPattern, LogCollectorDaemon, MySqlCluster, MySqlFlavor,
  NodeExporterDaemon, PostgresCluster, RedisCluster,
} from '../../lib';
import { validateManifests } from '../../lib/testing/validate';
import { count, databaseProps, maybe, mix, name, seconds, size, text } from '../support/arbitraries';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** How many runs were accepted (valid YAML) and rejected (a library error), per test. */
let tally = { accepted: 0, rejected: 0 };
beforeEach(() => { tally = { accepted: 0, rejected: 0 }; });
/** Both outcomes must occur often, or the property tests nothing (all rejected, or no edge values). */
afterEach(() => {
  expect(tally.accepted).toBeGreaterThanOrEqual(RUNS * 0.1);
  expect(tally.rejected).toBeGreaterThanOrEqual(RUNS * 0.1);
});

/** Runs one construction: a library error is fine, anything else fails; valid YAML is required otherwise. */
function check(build: (chart: Chart) => void, options: { restrictedExemptions?: string[] } = {}): void {
  const chart = Testing.chart();
  let manifests: any[];
  try {
    build(chart);
    manifests = Testing.synth(chart);
  } catch (error) {
    if (Errors.isConfigurationError(error)) { tally.rejected++; return; }
    throw error;
  }
  const problems = validateManifests(manifests, { restricted: true, production: true, ...options });
  if (problems.length > 0) throw new Error(`accepted, but invalid YAML:\n  ${problems.join('\n  ')}`);
  tally.accepted++;
}

const engines: [string, (chart: Chart, id: string, props: any) => unknown][] = [
  ['PostgresCluster', (c, id, p) => new PostgresCluster(c, id, p)],
  ['MySqlCluster', (c, id, p) => new MySqlCluster(c, id, { ...p, flavor: MySqlFlavor.mariadb1011() })],
  ['RedisCluster', (c, id, p) => new RedisCluster(c, id, p)],
];

describe('property: a construct throws a library error or emits valid YAML', () => {
  test.each(engines)('%s', (_engine, build) => {
    fc.assert(fc.property(name, databaseProps, (id, props) => check((c) => { build(c, id, props); })), { numRuns: RUNS });
  });

  test('BatchJob', () => {
    const pattern = fc.oneof(
      fc.constant(JobPattern.singleRun()),
      fc.record({ completions: count, parallelism: maybe(count) }).map((o) => JobPattern.fixedCompletions(o as any)),
      fc.record({ completions: count, parallelism: maybe(count) }).map((o) => JobPattern.indexed(o as any)),
      fc.record({ parallelism: count, queueAddress: mix(fc.constant('redis://q:6379/0'), fc.constant('')) }).map((o) => JobPattern.workQueue(o)),
    );
    const props = fc.record({
      name: maybe(name), backoffLimit: maybe(count), activeDeadline: maybe(seconds), ttlAfterFinished: maybe(seconds), suspend: maybe(fc.boolean()),
      partOf: maybe(text), appName: maybe(text), containerName: maybe(mix(fc.constantFrom('main', 'worker'), fc.constantFrom('Main', 'x'.repeat(64)))),
      command: maybe(mix(fc.constantFrom(['run'], ['sh', '-c', 'echo $$(date)']), fc.constantFrom(['run', '$(UNDEFINED)'], ['sh', '-c', 'echo $(date)']))),
    }, { requiredKeys: [] });
    fc.assert(fc.property(pattern, props, (p, o) => check((c) => { new BatchJob(c, 'job', { image: 'busybox:1.36', pattern: p, ...o }); })), { numRuns: RUNS });
  });

  test('BackupCronJob', () => {
    const schedule = mix(fc.oneof(fc.constant(BackupSchedule.cron(Cron.daily())), fc.constantFrom('0 3 * * *', '*/15 * * * *', '@weekly').map((e) => BackupSchedule.expression(e))),
      fc.constantFrom('0 25 * * *', '0 0 31 2 *', '0 3 * * 7', 'TZ=UTC 0 3 * * *').map((e) => BackupSchedule.expression(e)));
    const target = fc.oneof(
      size.map((s) => BackupTarget.persistentVolume({ size: s })),
      fc.constant(BackupTarget.existingClaim('orders-dumps')),
      fc.record({ endpoint: maybe(mix(fc.constant('http://minio:9000'), fc.constantFrom('http://minio:0', 'ftp://x', 'https://s3.example.com/path'))), allowedCidrs: maybe(mix(fc.constantFrom(['10.0.0.0/8'], ['fd00::/64']), fc.constant(['10.0.0.0/33']))) }, { requiredKeys: [] }).map((o) => ['s3', o] as const),
    );
    const props = fc.record({
      name: maybe(name), retention: maybe(count), timeZone: maybe(mix(fc.constantFrom('Europe/Berlin', 'UTC'), fc.constantFrom('Local', 'europe/berlin', 'Mars/Olympus'))),
      successfulJobsRetained: maybe(count), ttlAfterFinished: maybe(seconds), startingDeadline: maybe(seconds), activeDeadline: maybe(seconds), backoffLimit: maybe(count),
    }, { requiredKeys: [] });
    fc.assert(fc.property(schedule, target, props, (s, t, o) => check((c) => {
      const db = new PostgresCluster(c, 'orders-db', { replicas: 1 });
      const resolved = Array.isArray(t) ? BackupTarget.s3({ bucket: 'backups', credentialsSecret: kplus.Secret.fromSecretName(c, 's3', 'backup-s3'), ...(t[1] as object) }) : t as BackupTarget;
      new BackupCronJob(c, 'backup', { database: db, schedule: s, target: resolved, ...o });
    })), { numRuns: RUNS });
  });

  test('node agents', () => {
    const props = fc.record({
      name: maybe(name), namespaceName: maybe(mix(fc.constantFrom('monitoring', 'logs'), fc.constant('Logging'))), port: maybe(mix(fc.constantFrom(9100, 9200), fc.constantFrom(100, 0, 70000, 9100.5))),
      terminationGracePeriod: maybe(seconds), priorityClassName: maybe(mix(fc.constant('system-node-critical'), fc.constant('Bad Name'))),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, fc.boolean(), (o, exporter) => check((c) => {
      if (exporter) new NodeExporterDaemon(c, 'agent', o);
      else { const { port: _port, ...rest } = o; new LogCollectorDaemon(c, 'agent', { ...rest, elasticsearch: { host: 'es.search.svc' } }); }
    }, { restrictedExemptions: [`DaemonSet/${o.name ?? 'agent'}`] })), { numRuns: RUNS });
  });
});
