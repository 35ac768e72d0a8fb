/**
 * The catalogue, systematically: every numeric, duration, size, string and enum prop of every
 * construct given each kind of wrong value a JavaScript or jsii caller can pass. Each error must
 * be a ConfigurationError that starts with the construct path, names the prop, shows the value as
 * passed and ends with a fix.
 */
import { Chart, Cron, Testing } from 'cdk8s';
import {
  BackupCronJob, BackupSchedule, BackupTarget, BatchJob, Errors, JobPattern, LogCollectorDaemon, MigrationJob, MySqlCluster, NodeExporterDaemon,
  PostgresCluster, RedisCluster, RestoreJob,
} from '../../lib';
import { renderValue } from '../../lib/errors';

type Build = (chart: Chart, props: Record<string, unknown>) => unknown;
const IMAGE = 'busybox:1.36';
const constructs: Record<string, { path: string; build: Build }> = {
  PostgresCluster: { path: 'test/db', build: (c, p) => new PostgresCluster(c, 'db', p as any) },
  MySqlCluster: { path: 'test/db', build: (c, p) => new MySqlCluster(c, 'db', p as any) },
  RedisCluster: { path: 'test/db', build: (c, p) => new RedisCluster(c, 'db', p as any) },
  BatchJob: { path: 'test/job', build: (c, p) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), ...p } as any) },
  MigrationJob: { path: 'test/job', build: (c, p) => new MigrationJob(c, 'job', { image: IMAGE, host: 'db', port: 5432, ...p } as any) },
  BackupCronJob: { path: 'test/backup', build: (c, p) => new BackupCronJob(c, 'backup', { database: new PostgresCluster(c, 'pg', { replicas: 1 }), schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.existingClaim('dumps'), ...p } as any) },
  RestoreJob: { path: 'test/restore', build: (c, p) => new RestoreJob(c, 'restore', { database: new PostgresCluster(c, 'pg', { replicas: 1 }), target: BackupTarget.existingClaim('dumps'), ...p } as any) },
  NodeExporterDaemon: { path: 'test/agent', build: (c, p) => new NodeExporterDaemon(c, 'agent', p as any) },
  LogCollectorDaemon: { path: 'test/agent', build: (c, p) => new LogCollectorDaemon(c, 'agent', { elasticsearch: { host: 'es' }, ...p } as any) },
};

const BAD_NUMBERS = [NaN, Infinity, -1, 2.5, '3'];
const BAD_DURATIONS = [60, '60s', {}];
const BAD_SIZES = [10, '10Gi'];
const BAD_STRINGS = [42, true];
const BAD_BOOLEANS = ['false', 1];

/** Which props of which construct take which kind of value. */
const matrix: [string, string, unknown[]][] = [
  ...['PostgresCluster', 'MySqlCluster', 'RedisCluster'].flatMap((c): [string, string, unknown[]][] => [
    [c, 'replicas', BAD_NUMBERS], [c, 'partition', BAD_NUMBERS], [c, 'storage', BAD_SIZES], [c, 'terminationGracePeriod', BAD_DURATIONS],
    [c, 'image', BAD_STRINGS], [c, 'podManagementPolicy', ['parallel', 'ordered']], [c, 'resourcePreset', ['Medium', 'huge']],
  ]),
  ['BatchJob', 'backoffLimit', BAD_NUMBERS], ['BatchJob', 'activeDeadline', BAD_DURATIONS], ['BatchJob', 'ttlAfterFinished', BAD_DURATIONS],
  ['BatchJob', 'suspend', BAD_BOOLEANS], ['BatchJob', 'restartPolicy', ['never', 'Always']], ['BatchJob', 'image', BAD_STRINGS],
  ['MigrationJob', 'waitTimeout', BAD_DURATIONS], ['MigrationJob', 'port', ['5432', 0, 70000]],
  ['BackupCronJob', 'backoffLimit', BAD_NUMBERS], ['BackupCronJob', 'activeDeadline', BAD_DURATIONS], ['BackupCronJob', 'suspend', BAD_BOOLEANS],
  ['BackupCronJob', 'concurrencyPolicy', ['forbid', 'Never']], ['BackupCronJob', 'retention', [NaN, 0, 2.5]],
  ['RestoreJob', 'waitTimeout', BAD_DURATIONS], ['RestoreJob', 'suspend', BAD_BOOLEANS], ['RestoreJob', 'backoffLimit', BAD_NUMBERS],
  ['NodeExporterDaemon', 'port', [0, 100, 70000, 9100.5]], ['LogCollectorDaemon', 'namespaceName', ['Logging', 'a b']],
];

const cases = matrix.flatMap(([construct, prop, values]) => values.map((value) => [construct, prop, value] as const));

describe('bad input matrix: every wrong value is a library error naming path, prop and value', () => {
  test.each(cases)('%s %s = %p', (construct, prop, value) => {
    const { path, build } = constructs[construct];
    let error: unknown;
    try { build(Testing.chart(), { [prop]: value }); } catch (e) { error = e; }
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(TypeError);
    expect(Errors.isConfigurationError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message.startsWith(`${path}: ${prop}`)).toBe(true);
    // The value as the user passed it (a Duration or Size shows as itself, not as something derived).
    expect(message).toContain(`(got ${renderValue(value)})`);
    expect(message).toMatch(/\(got .+\)\. \S.+$/s);
  });
  test('the matrix holds more than 100 cases', () => expect(cases.length).toBeGreaterThan(100));
});

