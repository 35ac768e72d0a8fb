/**
 * A catalogue of bad inputs a JavaScript, Python or Java user (or a hurried TypeScript user with
 * `as any`) can pass. Each must be one of the library's ConfigurationErrors naming the construct
 * path, the prop, the value as passed and a fix; never a TypeError or an error from cdk8s.
 */
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { BatchJob, Errors, JobPattern, MigrationJob, MySqlCluster, PostgresCluster, RedisCluster } from '../../lib';

type Case = [name: string, build: (chart: Chart) => unknown, message: RegExp];

const IMAGE = 'busybox:1.36';
const cases: Case[] = [
  // Misspelled keys never silently do nothing.
  ['a misspelled database prop', (c) => new PostgresCluster(c, 'db', { replica: 5 } as any), /test\/db: replica is not a prop of PostgresClusterProps \(got 5\)\. Did you mean `replicas`\?/],
  ['a misspelled engine prop', (c) => new RedisCluster(c, 'cache', { setings: {} } as any), /test\/cache: setings is not a prop of RedisClusterProps .*Did you mean `settings`\?/],
  ['a key in the wrong case', (c) => new MySqlCluster(c, 'shop', { Replicas: 3 } as any), /Replicas is not a prop of MySqlClusterProps \(got 3\)\. Did you mean `replicas`\?/],
  ['an unknown key with no near match', (c) => new PostgresCluster(c, 'db', { colour: 'blue' } as any), /colour is not a prop of PostgresClusterProps \(got "blue"\)\. Known props: accessModes, clientLabels/],
  ['a misspelled Job prop', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), backofLimit: 3 } as any), /test\/job: backofLimit is not a prop of BatchJobProps \(got 3\)\. Did you mean `backoffLimit`\?/],
  ['a misspelled MigrationJob prop', (c) => new MigrationJob(c, 'migrate', { image: IMAGE, host: 'db', port: 5432, waitTimout: Duration.minutes(1) } as any), /test\/migrate: waitTimout is not a prop of MigrationJobProps .*Did you mean `waitTimeout`\?/],
  // Wrong types reach a clear error, not a TypeError deep inside.
  ['storage as a string', (c) => new PostgresCluster(c, 'db', { storage: '10Gi' } as any), /test\/db: storage must be a cdk8s Size \(e\.g\. Size\.gibibytes\(10\)\) \(got "10Gi"\)\. Pass a cdk8s Size/],
  ['a grace period as a number', (c) => new RedisCluster(c, 'cache', { terminationGracePeriod: 60 } as any), /terminationGracePeriod must be a cdk8s Duration .*\(got 60\)/],
  ['replicas as a string', (c) => new PostgresCluster(c, 'db', { replicas: '3' } as any), /replicas must be a number \(got "3"\)/],
  ['a lowercase enum string', (c) => new PostgresCluster(c, 'db', { podManagementPolicy: 'parallel' } as any), /podManagementPolicy must be one of PodManagementPolicy\.ORDERED_READY, PodManagementPolicy\.PARALLEL \(got "parallel"\)/],
  ['an unknown preset', (c) => new PostgresCluster(c, 'db', { resourcePreset: 'huge' } as any), /resourcePreset must be one of ResourcePreset\.NANO, .*\(got "huge"\)/],
  ['an access mode string', (c) => new PostgresCluster(c, 'db', { accessModes: ['rwo'] } as any), /accessModes\[0\] must be one of PersistentVolumeAccessMode\./],
  ['no access modes', (c) => new PostgresCluster(c, 'db', { accessModes: [] }), /accessModes must list at least one access mode \(got \[\]\)/],
  ['a pvc retention string', (c) => new PostgresCluster(c, 'db', { pvcRetention: 'keep' } as any), /pvcRetention must be one of PvcRetention\.RETAIN, PvcRetention\.DELETE \(got "keep"\)/],
  ['an activeDeadline in seconds', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), activeDeadline: 600 } as any), /activeDeadline must be a cdk8s Duration .*\(got 600\)/],
  ['suspend as a string', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), suspend: 'false' } as any), /suspend must be true or false \(got "false"\)/],
  ['a restart policy string', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), restartPolicy: 'never' } as any), /restartPolicy must be one of JobRestartPolicy\.NEVER, JobRestartPolicy\.ON_FAILURE \(got "never"\)/],
  ['a pattern as a string', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: 'indexed' } as any), /test\/job: pattern must be a JobPattern \(got "indexed"\)\. Pass e\.g\. JobPattern\.singleRun\(\)/],
  ['no image', (c) => new BatchJob(c, 'job', { pattern: JobPattern.singleRun() } as any), /test\/job: image is required \(got nothing\)\. Pass a pinned image/],
  ['a wait timeout in seconds', (c) => new MigrationJob(c, 'migrate', { image: IMAGE, host: 'db', port: 5432, waitTimeout: 60 } as any), /test\/migrate: waitTimeout must be a cdk8s Duration .*\(got 60\)/],
  ['a port as a string', (c) => new MigrationJob(c, 'migrate', { image: IMAGE, host: 'db', port: '5432' } as any), /test\/migrate: port must be a number \(got "5432"\)/],
  // Numbers print as what the user passed.
  ['NaN replicas', (c) => new PostgresCluster(c, 'db', { replicas: NaN }), /replicas must be an integer >= 1 \(got NaN\)/],
  ['Infinity backoff', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), backoffLimit: Infinity }), /backoffLimit must be an integer >= 0 \(got Infinity\)/],
  ['a storage size in KiB', (c) => new PostgresCluster(c, 'db', { storage: Size.kibibytes(1536 * 1024 + 1) }), /storage must be a whole number of MiB/],
];

describe('bad input: the library\'s own errors, with path, prop, value and fix', () => {
  test.each(cases)('%s', (_name, build, message) => {
    const chart = Testing.chart();
    let error: unknown;
    try { build(chart); } catch (e) { error = e; }
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(TypeError);
    expect(Errors.isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^test\/[a-z-]+: .+ \(got .+\)\. \S/s);
  });
  test('the catalogue covers every case once', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });
});
