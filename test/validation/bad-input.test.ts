/**
 * A catalogue of bad inputs a JavaScript, Python or Java user (or a hurried TypeScript user with
 * `as any`) can pass. Each must be one of the library's ConfigurationErrors naming the construct
 * path, the prop, the value as passed and a fix; never a TypeError or an error from cdk8s.
 */
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Cron } from 'cdk8s';
import { AgentUpdateStrategy, BackupCronJob, BackupSchedule, BackupTarget, BatchJob, Errors, JobPattern, LogAgent, LogCollectorDaemon, MigrationJob, MySqlCluster, MySqlFlavor, NodeCount, NodeExporterDaemon, PodFailureAction, PodFailurePolicy, PostgresCluster, RedisCluster, RestoreJob } from '../../lib';

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
  // Free-form strings that would reach YAML the API server or the kubelet rejects.
  ['an image with a trailing space', (c) => new PostgresCluster(c, 'db', { image: 'postgres:16.4 ' }), /test\/db: image contains whitespace \(got "postgres:16\.4 "\)\. Use e\.g\. "postgres:16\.4"/],
  ['an image with capitals', (c) => new RedisCluster(c, 'cache', { image: 'Redis:7.2.5' }), /image is not a valid image reference .*\(got "Redis:7\.2\.5"\)\. Use e\.g\. "redis:7\.2\.5"/],
  ['a storage class with an underscore', (c) => new PostgresCluster(c, 'db', { storageClassName: 'Fast_SSD' }), /storageClassName must be lowercase alphanumeric.*\(got "Fast_SSD"\)/],
  ['a partOf with spaces', (c) => new PostgresCluster(c, 'db', { partOf: 'my shop' }), /test\/db: partOf must be alphanumeric.*\(got "my shop"\)/],
  ['a Job partOf too long', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), partOf: 'p'.repeat(64) }), /test\/job: partOf is 64 characters long; label values allow at most 63 \(it becomes a label value\)/],
  ['an appName with a slash', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), appName: 'a/b' }), /test\/job: appName must be alphanumeric.*\(it becomes a label value\) \(got "a\/b"\)/],
  ['a container name with capitals', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), containerName: 'Main' }), /test\/job: name must be lowercase alphanumeric.*\(got "Main"\)\. Use a container name/],
  ['an init container named like the main one', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), initContainers: [{ name: 'main', image: IMAGE }] }), /initContainers repeat a container name of the pod \(got "main"\)/],
  ['an env name with a space', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), env: { 'LOG LEVEL': kplus.EnvValue.fromValue('1') } }), /env has a variable name that must consist of letters.*\(got "LOG LEVEL"\)\. Rename it/],
  ['an env name starting with a digit', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), env: { '1ST': kplus.EnvValue.fromValue('1') } }), /env has a variable name .*\(got "1ST"\)/],
  ['two writable paths with one volume name', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), writablePaths: [{ path: '/tmp', volumeName: 'tmp' }, { path: '/cache', volumeName: 'tmp' }] }), /test\/job: writablePaths\[1\]\.volumeName is used by another writable path \(got "tmp"\)/],
  ['a writable path mounted twice', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), writablePaths: [{ path: '/tmp', volumeName: 'a' }, { path: '/tmp', volumeName: 'b' }] }), /writablePaths\[1\]\.path is already mounted in container "main" \(got "\/tmp"\)/],
  ['a writable volume name with capitals', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), writablePaths: [{ path: '/tmp', volumeName: 'Tmp' }] }), /writablePaths\[0\]\.volumeName must be lowercase/],
  ['a relative writable path', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), writablePaths: [{ path: 'tmp', volumeName: 'tmp' }] }), /writablePaths\[0\]\.path must be an absolute path \(got "tmp"\)\. Use e\.g\. "\/tmp"/],
  ['a pod condition type with a space', (c) => new BatchJob(c, 'job', { image: IMAGE, pattern: JobPattern.singleRun(), podFailurePolicy: new PodFailurePolicy().onPodCondition(PodFailureAction.IGNORE, 'Disruption Target') }), /podFailurePolicy\.rules\[0\] condition type must be alphanumeric.*\(got "Disruption Target"\)/],
  // Node agents: options that cannot work on the host network, and props that would be dropped.
  ['a node-exporter on a privileged port', (c) => new NodeExporterDaemon(c, 'exporter', { port: 100 }), /test\/exporter: port must be 1024 or above.*bind: permission denied" \(got 100\)\. Use 9100/],
  ['a surging host-network agent', (c) => new NodeExporterDaemon(c, 'exporter', { updateStrategy: AgentUpdateStrategy.rollingUpdate({ maxSurge: NodeCount.nodes(1) }) }), /test\/exporter: updateStrategy surges on a host-network agent.*\(got "maxSurge 1"\)/],
  ['an image twice', (c) => new LogCollectorDaemon(c, 'logs', { image: 'fluent/fluent-bit:3.1.4', agent: LogAgent.fluentBit({ image: 'fluent/fluent-bit:3.0.0' }), elasticsearch: { host: 'es' } }), /test\/logs: 1 configuration problem\(s\):\n  - image is set \("fluent\/fluent-bit:3\.1\.4"\) and so is the agent's image/],
  ['a fractional grace period on an agent', (c) => new NodeExporterDaemon(c, 'exporter', { terminationGracePeriod: Duration.millis(1500) }), /test\/exporter: terminationGracePeriod must be a whole number of seconds \(got "1\.5s"\)/],
  ['a fractional grace period on a database', (c) => new PostgresCluster(c, 'db', { terminationGracePeriod: Duration.millis(30500) }), /test\/db: terminationGracePeriod must be a whole number of seconds \(got "30\.5s"\)/],
  // Backups to S3.
  ...([
    ['a CIDR with a /33', { allowedCidrs: ['10.0.0.0/33'] }, /target\.allowedCidrs has an entry that is not a CIDR: it has a prefix length of 33; IPv4 allows at most 32 \(got "10\.0\.0\.0\/33"\)/],
    ['a CIDR with octet 300', { allowedCidrs: ['300.1.2.0/24'] }, /it has an invalid IPv4 address \(four numbers 0-255\) \(got "300\.1\.2\.0\/24"\)/],
    ['an IPv6 CIDR with a /129', { allowedCidrs: ['fd00::/129'] }, /it has a prefix length of 129; IPv6 allows at most 128/],
    ['an endpoint on port 0', { endpoint: 'http://minio:0' }, /target\.endpoint has port 0; ports are 1-65535 \(got "http:\/\/minio:0"\)/],
    ['an endpoint on port 99999', { endpoint: 'http://minio:99999' }, /target\.endpoint has port 99999; ports are 1-65535/],
    ['a secret key with a space', { accessKeyIdKey: 'access key' }, /target\.accessKeyIdKey must consist of letters, digits, "-", "_" or "\." \(got "access key"\)/],
    ['one key for both credentials', { accessKeyIdKey: 'key', secretAccessKeyKey: 'key' }, /target\.secretAccessKeyKey is the same key as accessKeyIdKey \(got "key"\)/],
  ] as const).map(([name, options, message]): Case => [name, (c) => {
    const db = new PostgresCluster(c, 'db', { replicas: 1 });
    return new BackupCronJob(c, 'backup', {
      database: db, schedule: BackupSchedule.cron(Cron.daily()),
      target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: kplus.Secret.fromSecretName(c, 's3', 'backup-s3'), ...(options as object) } as any),
    });
  }, message]),
  // Settings that would break the server at runtime.
  ['a Redis maxmemory parameter above the limit', (c) => new RedisCluster(c, 'cache', { settings: { parameters: { maxmemory: '4gb' } } }), /test\/cache: settings\.parameters\.maxmemory would override settings\.maxMemory, which is checked against the resources \(got "4gb"\)\. Use settings\.maxMemory instead\./],
  ['a Redis eviction policy Redis does not know', (c) => new RedisCluster(c, 'cache', { settings: { evictionPolicy: 'lru' as any } }), /settings\.evictionPolicy must be one of RedisEvictionPolicy\.NO_EVICTION, .*\(got "lru"\)/],
  ['a Redis maxMemory as a string', (c) => new RedisCluster(c, 'cache', { settings: { maxMemory: '256mb' as any } }), /settings\.maxMemory must be a cdk8s Size .*\(got "256mb"\)/],
  ['a MariaDB flavor with a mysql image', (c) => new MySqlCluster(c, 'shop', { flavor: MySqlFlavor.mariadb1011(), image: 'mysql:8.4.3' }), /test\/shop: image is a mysql image, but the flavor is mariadb \(got "mysql:8\.4\.3"\)\. Use MySqlFlavor\.mysql84\(\)/],
  ['a MySQL flavor given a mariadb image', (c) => new MySqlCluster(c, 'shop', { flavor: MySqlFlavor.mysql84('mariadb:10.11.10') }), /test\/shop: flavor is a mariadb image, but the flavor is mysql .*Use MySqlFlavor\.mariadb1011\(\)/],
  ['binary logs never purged', (c) => new MySqlCluster(c, 'shop', { settings: { binlogExpireSeconds: -1 } }), /settings\.binlogExpireSeconds must be an integer >= 1 \(0 or less turns purging off and fills the volume\) \(got -1\)/],
  ...([
    ['a misspelled BackupCronJob prop', { retension: 3 }, /test\/backup: retension is not a prop of BackupCronJobProps \(got 3\)\. Did you mean `retention`\?/],
    ['a schedule as a string', { schedule: '0 3 * * *' }, /test\/backup: schedule must be a BackupSchedule \(got "0 3 \* \* \*"\)\. Pass BackupSchedule\.cron/],
    ['a target as a string', { target: 's3://backups' }, /test\/backup: target must be a BackupTarget \(got "s3:\/\/backups"\)/],
    ['a lowercase concurrency policy', { concurrencyPolicy: 'forbid' }, /concurrencyPolicy must be one of ConcurrencyPolicy\..* \(got "forbid"\)/],
    ['suspend as a string on a backup', { suspend: 'no' }, /test\/backup: suspend must be true or false \(got "no"\)/],
    ['backup resources without memory', { resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) } } }, /test\/backup: resources must set both cpu and memory/],
    ['a backup deadline in seconds', { activeDeadline: 1800 }, /test\/backup: activeDeadline must be a cdk8s Duration .*\(got 1800\)/],
  ] as const).map(([name, override, message]): Case => [name, (c) => {
    const db = new PostgresCluster(c, 'db', { replicas: 1 });
    return new BackupCronJob(c, 'backup', { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.existingClaim('dumps'), ...(override as object) } as any);
  }, message]),
  ['a misspelled RestoreJob prop', (c) => {
    const db = new PostgresCluster(c, 'db', { replicas: 1 });
    return new RestoreJob(c, 'restore', { database: db, target: BackupTarget.existingClaim('dumps'), dumpname: 'x' } as any);
  }, /test\/restore: dumpname is not a prop of RestoreJobProps \(got "x"\)\. Did you mean `dumpName`\?/],
  ['a misspelled node-agent prop', (c) => new NodeExporterDaemon(c, 'exporter', { namespace: 'monitoring' } as any), /test\/exporter: namespace is not a prop of NodeExporterDaemonProps \(got "monitoring"\)\. Did you mean `namespaceName`\?/],
  ['a log collector without its output', (c) => new LogCollectorDaemon(c, 'logs', {} as any), /test\/logs: output is required \(got nothing\)\. Pass e\.g\. output: LogOutput\.elasticsearch/],
  ['a misspelled log-collector prop', (c) => new LogCollectorDaemon(c, 'logs', { elasticsearch: { host: 'es' }, logformat: 'cri' } as any), /logformat is not a prop of LogCollectorDaemonProps .*Did you mean `logFormat`\?/],
  ['a duplicate construct id', (c) => { new PostgresCluster(c, 'db', { replicas: 1 }); return new RedisCluster(c, 'db'); }, /test\/db: id \(the construct id\) is already used in test by a PostgresCluster \(got "db"\)\. Give each construct/],
  ['an empty construct id', (c) => new BatchJob(c, '', { name: 'job', image: IMAGE, pattern: JobPattern.singleRun() }), /test: id \(the construct id\) must be a non-empty string \(got ""\)/],
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
    expect((error as Error).message).toMatch(/^test(\/[a-z-]+)?: (.+ \(got .+\)\. \S|\d+ configuration problem)/s);
  });
  test('the catalogue covers every case once', () => {
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });
});
