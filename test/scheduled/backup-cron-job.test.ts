import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Cron, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PostgresBackupSource, PostgresDump, PostgresDumpFormat, PostgresEngine, ReplicatedDatabase, ResourcePreset } from '../../lib';
import { presetResources } from '../../lib/defaults/resources';
import { DEFAULT_AWS_CLI_IMAGE } from '../../lib/scheduled/backup-target';
import { BACKUP_SCHEDULE_DEFAULTS, JOB_DEFAULTS } from '../../lib/defaults/jobs';
import { findManifest } from '../../lib/testing/validate';
import {
  BackupCronJob, BackupCronJobProps, BackupSchedule, BackupTarget,
} from '../../lib';
import { chartWithDatabase, containerOf, envVar, literalEnv, podOf, s3Secret, synth } from './support';

const daily = BackupSchedule.cron(Cron.daily());
const volume = () => BackupTarget.persistentVolume({ size: Size.gibibytes(20) });

function backup(props: Partial<BackupCronJobProps> = {}, namespace?: string) {
  const { chart, db } = chartWithDatabase(namespace);
  const job = new BackupCronJob(chart, 'orders-backup', { database: db, schedule: daily, target: volume(), ...props });
  return { chart, db, job };
}

test('snapshot of the defaults (volume target)', () => {
  const { chart } = backup();
  expect(synth(chart).filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'backup')).toMatchSnapshot();
});

describe('production defaults', () => {
  const { chart, job } = backup();
  const manifests = synth(chart);
  const cron = findManifest(manifests, 'CronJob', 'orders-backup');
  const pod = podOf(cron);
  const main = containerOf(cron, 'backup');

  test('CronJob settings', () => {
    expect(cron.spec).toMatchObject({
      schedule: '0 0 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false,
    });
    expect(cron.spec.timeZone).toBeUndefined();
    expect(cron.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 1800, backoffLimit: 3 });
    // No TTL: the history limits alone decide which finished Jobs stay.
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(cron.spec.jobTemplate.spec.selector).toBeUndefined();
    expect(pod.restartPolicy).toBe('Never');
  });

  test('the dump runs in the server image as uid 999 with the restricted context and explicit resources', () => {
    expect(main.image).toBe('postgres:16.4');
    expect(main.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/backup/backup.sh']);
    expect(main.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(main.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('connection env: primary host, superuser, password only as a Secret reference', () => {
    expect(literalEnv(main)).toMatchObject({
      PGHOST: 'orders-db-primary.shop.svc.cluster.local', PGPORT: '5432', PGUSER: 'postgres',
      PG_DUMP_SCOPE: 'all', PG_DUMP_FORMAT: 'plain', DUMP_PREFIX: 'orders-db', DUMP_EXTENSION: '.sql.gz', RETAIN_COUNT: '7', BACKUP_DIR: '/backups',
    });
    expect(envVar(main, 'PGPASSWORD')).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'postgres-password' } } });
  });

  test('a PVC <name>-dumps mounted at /backups, scripts from <name>-scripts, /tmp writable', () => {
    const pvc = findManifest(manifests, 'PersistentVolumeClaim', 'orders-backup-dumps');
    expect(pvc.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } });
    expect(pvc.spec.storageClassName).toBeUndefined();
    expect(job.claimName).toBe('orders-backup-dumps');
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'dumps', persistentVolumeClaim: { claimName: 'orders-backup-dumps', readOnly: false } },
      { name: 'scripts', configMap: { name: 'orders-backup-scripts', defaultMode: 0o555 } },
    ]));
    expect(main.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/opt/cdk8s-workloads/backup', '/backups', '/tmp']);
    expect(Object.keys(findManifest(manifests, 'ConfigMap', 'orders-backup-scripts').data).sort()).toEqual([
      'backup.sh', 'database-ready.sh', 'download.sh', 'dump-database.sh', 'restore-database.sh', 'restore.sh', 'retention.sh', 's3-common.sh', 'upload.sh', 'wait-for-database.sh',
    ]);
  });

  test('pods carry the recommended labels and the database client label; the NetworkPolicy allows only the database port and DNS', () => {
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'postgresql-backup', 'app.kubernetes.io/instance': 'orders-backup', 'app.kubernetes.io/component': 'backup',
      'app.kubernetes.io/part-of': 'orders-backup', 'app.kubernetes.io/managed-by': 'cdk8s-workloads', 'cdk8s-workloads.io/client-of': 'orders-db',
    });
    const policy = findManifest(manifests, 'NetworkPolicy', 'orders-backup');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'postgresql-backup', 'app.kubernetes.io/instance': 'orders-backup', 'app.kubernetes.io/component': 'backup' });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/component': 'database' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
    ]);
  });

  test('recommended labels on every object; the manual trigger command', () => {
    for (const m of manifests.filter((x) => x.metadata.name.startsWith('orders-backup'))) {
      expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'cdk8s-workloads', 'app.kubernetes.io/part-of': 'orders-backup' });
    }
    expect(job.manualTriggerCommand).toBe('kubectl -n shop create job --from=cronjob/orders-backup orders-backup-manual-$(date +%s)');
    expect(job.cronJob).toBeInstanceOf(kplus.CronJob);
  });
});

describe('overrides', () => {
  test('every CronJob and Job setting', () => {
    const { chart } = backup({
      name: 'nightly', schedule: BackupSchedule.expression('15 3 * * MON-FRI'), timeZone: 'Europe/Berlin', concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
      startingDeadline: Duration.minutes(10), successfulJobsRetained: 5, failedJobsRetained: 2, activeDeadline: Duration.hours(2), backoffLimit: 1,
      ttlAfterFinished: Duration.days(7), suspend: true, retention: 14, resources: presetResources(ResourcePreset.MEDIUM), partOf: 'shop',
    });
    const cron = findManifest(synth(chart), 'CronJob', 'nightly');
    expect(cron.spec).toMatchObject({
      schedule: '15 3 * * MON-FRI', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2, suspend: true,
      jobTemplate: { spec: { activeDeadlineSeconds: 7200, backoffLimit: 1, ttlSecondsAfterFinished: 7 * 24 * 3600 } },
    });
    const main = containerOf(cron, 'backup');
    expect(literalEnv(main).RETAIN_COUNT).toBe('14');
    expect(main.resources.limits).toEqual({ cpu: '1000m', memory: '2048Mi' });
    expect(cron.metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('a storage class and claim name; an existing claim creates no PVC', () => {
    const { chart } = backup({ target: BackupTarget.persistentVolume({ size: Size.gibibytes(5), storageClassName: 'fast', claimName: 'orders-dumps' }) });
    expect(findManifest(synth(chart), 'PersistentVolumeClaim', 'orders-dumps').spec.storageClassName).toBe('fast');
    const existing = backup({ target: BackupTarget.existingClaim('shared-dumps') });
    const manifests = synth(existing.chart);
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(podOf(findManifest(manifests, 'CronJob', 'orders-backup')).volumes).toContainEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'shared-dumps', readOnly: false } });
  });

  test('a single-database custom-format dump', () => {
    const { chart, db } = chartWithDatabase();
    new BackupCronJob(chart, 'shop-backup', { database: new PostgresBackupSource(db, { dump: PostgresDump.database({ database: 'Shop_DB', format: PostgresDumpFormat.CUSTOM }), compressionLevel: 9 }), schedule: daily, target: volume() });
    expect(literalEnv(containerOf(findManifest(synth(chart), 'CronJob', 'shop-backup'), 'backup'))).toMatchObject({
      PG_DUMP_SCOPE: 'database', PG_DUMP_FORMAT: 'custom', DUMP_DATABASE: 'Shop_DB', DUMP_PREFIX: 'orders-db-shop-db', DUMP_EXTENSION: '.dump', PG_COMPRESS_LEVEL: '9',
    });
  });

  test('S3: dump as init container, pinned AWS CLI upload with a writable HOME, credentials as mounted files, endpoint port in the policy', () => {
    const { chart } = chartWithDatabase();
    const db = chart.node.findChild('orders-db') as any;
    const job = new BackupCronJob(chart, 'orders-backup', {
      database: db, schedule: daily, transferResources: presetResources(ResourcePreset.MICRO),
      target: BackupTarget.s3({ bucket: 'backups', prefix: '/postgres/orders/', endpoint: 'https://minio.storage.svc:9000', region: 'eu-central-1', credentialsSecret: s3Secret(chart), allowedCidrs: ['10.20.0.0/16'] }),
    });
    expect(job.retention).toBeUndefined();
    const manifests = synth(chart);
    const cron = findManifest(manifests, 'CronJob', 'orders-backup');
    const pod = podOf(cron);
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['dump']);
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['upload']);
    const upload = containerOf(cron, 'upload');
    expect(upload.image).toBe(DEFAULT_AWS_CLI_IMAGE);
    expect(upload.image).toMatch(/^amazon\/aws-cli:2\.\d+\.\d+$/);
    expect(upload.resources.limits).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(literalEnv(upload)).toMatchObject({
      S3_BUCKET: 'backups', S3_PREFIX: 'postgres/orders', S3_ENDPOINT: 'https://minio.storage.svc:9000', S3_ADDRESSING_STYLE: 'path', AWS_DEFAULT_REGION: 'eu-central-1', HOME: '/home/aws',
      S3_CREDENTIALS_DIR: '/var/run/secrets/s3-credentials',
    });
    expect(upload.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/opt/cdk8s-workloads/backup', '/backups', '/var/run/secrets/s3-credentials', '/home/aws', '/tmp']);
    expect(pod.volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '10240Mi' } });
    expect(literalEnv(containerOf(cron, 'dump')).RETAIN_COUNT).toBe('0');
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
    const egress = findManifest(manifests, 'NetworkPolicy', 'orders-backup').spec.egress;
    expect(egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 9000 }] });
  });

  test('S3 credentials are files: the Secret mounted read-only (keys mapped to fixed names), no AWS_* and no Secret reference in any env', () => {
    const { chart, db } = chartWithDatabase();
    new BackupCronJob(chart, 'orders-backup', {
      database: db, schedule: daily,
      target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart), accessKeyIdKey: 'AccessKey', secretAccessKeyKey: 'SecretKey' }),
    });
    const cron = findManifest(synth(chart), 'CronJob', 'orders-backup');
    const pod = podOf(cron);
    expect(pod.volumes).toContainEqual({
      name: 's3-credentials',
      secret: { secretName: 'backup-s3', defaultMode: 0o440, items: [{ key: 'AccessKey', path: 'access-key-id' }, { key: 'SecretKey', path: 'secret-access-key' }] },
    });
    const upload = containerOf(cron, 'upload');
    expect(upload.volumeMounts).toContainEqual({ name: 's3-credentials', mountPath: '/var/run/secrets/s3-credentials', readOnly: true });
    // Only the upload container reads the Secret; the dump container never sees it.
    expect(containerOf(cron, 'dump').volumeMounts.map((m: { name: string }) => m.name)).not.toContain('s3-credentials');
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect((c.env ?? []).filter((e: { name: string }) => e.name.startsWith('AWS_') && e.name !== 'AWS_DEFAULT_REGION')).toEqual([]);
    }
    expect((upload.env ?? []).filter((e: { valueFrom?: unknown }) => e.valueFrom !== undefined)).toEqual([]);
  });

  test('S3 scratch space: a size-limited emptyDir, and the dump container requests it as ephemeral storage (limit 1Gi more)', () => {
    const { chart, db } = chartWithDatabase();
    const target = BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart) });
    const byDefault = new BackupCronJob(chart, 'orders-backup', { database: db, schedule: daily, target });
    const big = new BackupCronJob(chart, 'big-backup', { database: db, schedule: daily, target, scratchSpace: Size.gibibytes(50), resources: presetResources(ResourcePreset.MEDIUM) });
    expect(byDefault.scratchSpace!.toGibibytes()).toBe(JOB_DEFAULTS.s3ScratchSpace.toGibibytes());
    expect(JOB_DEFAULTS.s3ScratchSpace.toGibibytes()).toBe(10);
    expect(big.scratchSpace!.toGibibytes()).toBe(50);
    const manifests = synth(chart);
    const defaults = findManifest(manifests, 'CronJob', 'orders-backup');
    expect(podOf(defaults).volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '10240Mi' } });
    expect(containerOf(defaults, 'dump').resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '10Gi' }, limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '11Gi' },
    });
    const sized = findManifest(manifests, 'CronJob', 'big-backup');
    expect(podOf(sized).volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '51200Mi' } });
    expect(containerOf(sized, 'dump').resources).toEqual({
      requests: { cpu: '500m', memory: '1024Mi', 'ephemeral-storage': '50Gi' }, limits: { cpu: '1000m', memory: '2048Mi', 'ephemeral-storage': '51Gi' },
    });
    // The upload container only reads the emptyDir: the pod's request is already the dump container's (init containers are not summed).
    expect(containerOf(sized, 'upload').resources.requests['ephemeral-storage']).toBeUndefined();
  });

  test('volume targets: no scratch space, the dumps are on the claim', () => {
    const { chart, job } = backup();
    expect(job.scratchSpace).toBeUndefined();
    expect(containerOf(findManifest(synth(chart), 'CronJob', 'orders-backup'), 'backup').resources.requests['ephemeral-storage']).toBeUndefined();
  });

  test('TTL: a daily schedule keeping 5 Jobs keeps 5 (no TTL); an explicit TTL of exactly the span is accepted', () => {
    const keepFive = findManifest(synth(backup({ successfulJobsRetained: 5 }).chart), 'CronJob', 'orders-backup');
    expect(keepFive.spec.successfulJobsHistoryLimit).toBe(5);
    expect(keepFive.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    const exact = findManifest(synth(backup({ successfulJobsRetained: 5, ttlAfterFinished: Duration.days(5) }).chart), 'CronJob', 'orders-backup');
    expect(exact.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(5 * 24 * 3600);
    // No history kept: any TTL agrees with it.
    const none = findManifest(synth(backup({ successfulJobsRetained: 0, failedJobsRetained: 0, ttlAfterFinished: Duration.seconds(0) }).chart), 'CronJob', 'orders-backup');
    expect(none.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(0);
  });

  test('S3 on AWS: port 443 to anywhere, virtual-hosted addressing, no endpoint env', () => {
    const { chart, db } = chartWithDatabase();
    new BackupCronJob(chart, 'orders-backup', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'my.backups', credentialsSecret: s3Secret(chart) }) });
    const manifests = synth(chart);
    const upload = containerOf(findManifest(manifests, 'CronJob', 'orders-backup'), 'upload');
    expect(literalEnv(upload).S3_ENDPOINT).toBeUndefined();
    expect(literalEnv(upload).S3_ADDRESSING_STYLE).toBe('auto');
    expect(findManifest(manifests, 'NetworkPolicy', 'orders-backup').spec.egress[1]).toEqual({ ports: [{ protocol: 'TCP', port: 443 }] });
  });

  test('networkPolicy: false creates none', () => {
    const { chart } = backup({ networkPolicy: false });
    expect(synth(chart).filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'orders-backup')).toEqual([]);
  });

  test('a chart without namespace: short host, kubectl without -n', () => {
    const { chart, job } = backup({}, '');
    expect(literalEnv(containerOf(findManifest(synth(chart), 'CronJob', 'orders-backup'), 'backup')).PGHOST).toBe('orders-db-primary');
    expect(job.manualTriggerCommand).toBe('kubectl create job --from=cronjob/orders-backup orders-backup-manual-$(date +%s)');
  });

  test('escape hatch: a JSON patch on the exposed cronJob reaches the YAML', () => {
    const { chart, job } = backup();
    ApiObject.of(job.cronJob).addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/template/spec/priorityClassName', 'backup-low'));
    job.cronJob.metadata.addAnnotation('example.com/owner', 'dba');
    const cron = findManifest(synth(chart), 'CronJob', 'orders-backup');
    expect(podOf(cron).priorityClassName).toBe('backup-low');
    expect(cron.metadata.annotations).toEqual({ 'example.com/owner': 'dba' });
  });

  test('defaults come from the one table of Job defaults and are what the props document', () => {
    const { chart, db } = chartWithDatabase();
    new BackupCronJob(chart, 'orders-backup', { database: db, schedule: daily, target: volume() });
    const cron = findManifest(synth(chart), 'CronJob', 'orders-backup');
    expect(cron.spec).toMatchObject({ startingDeadlineSeconds: BACKUP_SCHEDULE_DEFAULTS.startingDeadline.toSeconds(), successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({
      activeDeadlineSeconds: JOB_DEFAULTS.backup.activeDeadline.toSeconds(), backoffLimit: JOB_DEFAULTS.backup.backoffLimit,
    });
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect([BACKUP_SCHEDULE_DEFAULTS.retention, BACKUP_SCHEDULE_DEFAULTS.startingDeadline.toSeconds(), JOB_DEFAULTS.backup.activeDeadline.toSeconds(), JOB_DEFAULTS.backup.backoffLimit]).toEqual([7, 300, 1800, 3]);
  });
});

describe('errors', () => {
  const expectError = (props: Partial<BackupCronJobProps>, message: RegExp) => expect(() => backup(props)).toThrow(message);

  test('invalid schedule', () => expectError({ schedule: BackupSchedule.expression('0 25 * * *') },
    /test\/orders-backup: schedule is invalid: hour 25 is out of range 0-23 \(got "0 25 \* \* \*"\)/));
  test('TZ prefix', () => expectError({ schedule: BackupSchedule.expression('TZ=UTC 0 3 * * *') }, /TZ= or CRON_TZ= prefix/));
  test('time zone Local', () => expectError({ timeZone: 'Local' }, /timeZone is "Local"/));
  test('unknown time zone', () => expectError({ timeZone: 'Mars/Base' }, /timeZone is not an IANA time zone name/));
  test('startingDeadline under 10 seconds', () => expectError({ startingDeadline: Duration.seconds(5) }, /startingDeadline must be at least 10 second\(s\) \(got "5s"\)\. The CronJob controller checks/));
  test('name over 52 characters', () => expectError({ name: 'x'.repeat(53) }, /name is 53 characters long; at most 52 are allowed \(the CronJob controller appends 11 characters/));
  test('name not a DNS label', () => expectError({ name: 'Orders_Backup' }, /name must be lowercase alphanumeric/));
  test('a TTL shorter than the runs the history limits keep', () => expectError({ successfulJobsRetained: 5, ttlAfterFinished: Duration.days(3) },
    /test\/orders-backup: ttlAfterFinished is shorter than the 5 finished Job\(s\) the history limits keep \(successfulJobsRetained 5\): on schedule "0 0 \* \* \*" 5 run\(s\) span up to 5 days, so the TTL would delete Jobs the limits promise to keep \(got "259200s"\)\. Remove ttlAfterFinished \(the history limits then decide\), use at least Duration\.days\(5\), or lower the history limits\./));
  test('a TTL one second short, the failed history deciding, on an irregular schedule', () => expectError({
    schedule: BackupSchedule.expression('0 1,5 * * *'), successfulJobsRetained: 1, failedJobsRetained: 3, ttlAfterFinished: Duration.seconds(44 * 3600 - 1),
  }, /the 3 finished Job\(s\) the history limits keep \(failedJobsRetained 3\): on schedule "0 1,5 \* \* \*" 3 run\(s\) span up to 44 hours.*use at least Duration\.hours\(44\)/));
  test('a TTL for more Jobs than runs in a century', () => expectError({ schedule: BackupSchedule.expression('0 0 29 2 *'), successfulJobsRetained: 40, ttlAfterFinished: Duration.days(10000) },
    /40 run\(s\) span up to more than a century.*use none at all/));
  test('scratchSpace not whole GiB', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, scratchSpace: Size.mebibytes(1536), target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart) }) }); })
    .toThrow(/test\/b: scratchSpace must be a whole number of GiB, at least 1 \(got "1536Mi"\)\. Use Size\.gibibytes\(n\): room for one dump/));
  test('scratchSpace with a volume target', () => expectError({ scratchSpace: Size.gibibytes(5) }, /scratchSpace only applies to S3 targets.*remove it/));
  test('resources.ephemeralStorage with an S3 target', () => expect(() => {
    const { chart, db } = chartWithDatabase();
    new BackupCronJob(chart, 'b', { database: db, schedule: daily, resources: { ...presetResources(ResourcePreset.SMALL), ephemeralStorage: { request: Size.gibibytes(1) } }, target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart) }) });
  }).toThrow(/resources\.ephemeralStorage conflicts with scratchSpace.*remove resources\.ephemeralStorage and set scratchSpace/));
  test('retention < 1', () => expectError({ retention: 0 }, /retention must be an integer >= 1 \(got 0\)/));
  test('negative history limit', () => expectError({ successfulJobsRetained: -1 }, /successfulJobsRetained must be an integer >= 0/));
  test('fractional activeDeadline', () => expectError({ activeDeadline: Duration.millis(1500) }, /activeDeadline must be a whole number of seconds/));
  test('negative backoffLimit', () => expectError({ backoffLimit: -1 }, /backoffLimit must be an integer >= 0/));
  test('volume size not whole GiB', () => expectError({ target: BackupTarget.persistentVolume({ size: Size.mebibytes(1500) }) }, /target.size must be a whole number of GiB, at least 1 \(got "1500Mi"\)/));
  test('invalid claim name', () => expectError({ target: BackupTarget.existingClaim('Bad_Name') }, /target.claimName must be lowercase/));
  test('S3 without bucket', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: '', credentialsSecret: s3Secret(chart) }) }); })
    .toThrow(/target.bucket is required/));
  test('S3 invalid bucket', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'My_Bucket', credentialsSecret: s3Secret(chart) }) }); })
    .toThrow(/target.bucket is not a valid bucket name/));
  test('S3 endpoint not http(s)', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'backups', endpoint: 'ftp://minio:9000', credentialsSecret: s3Secret(chart) }) }); })
    .toThrow(/target.endpoint must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/minio:9000"\)/));
  test('S3 endpoint with a path', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'backups', endpoint: 'https://minio:9000/backups', credentialsSecret: s3Secret(chart) }) }); })
    .toThrow(/target.endpoint must be scheme, host and port only.*Pass "https:\/\/minio:9000"/));
  test('S3 without credentials', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'backups' } as any) }); })
    .toThrow(/target.credentialsSecret is required.*"access-key-id" and "secret-access-key"/));
  test('S3 bad CIDR', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart), allowedCidrs: ['10.0.0.0'] }) }); })
    .toThrow(/target.allowedCidrs has an entry that is not a CIDR/));
  test('unpinned AWS CLI image', () => expect(() => { const { chart, db } = chartWithDatabase(); new BackupCronJob(chart, 'b', { database: db, schedule: daily, target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart), image: 'amazon/aws-cli' }) }); })
    .toThrow(/target.image has no tag/));
  test('a construct that is not a database', () => {
    const { chart } = chartWithDatabase();
    // TypeScript rejects it at compile time; JavaScript (and jsii languages) reach the runtime check.
    expect(() => new BackupCronJob(chart, 'b', { database: new Construct(chart, 'cache') as any, schedule: daily, target: volume() }))
      .toThrow(/test\/b: database is not a database a backup job can dump \(it has no backupSource\(\)\) \(got "test\/cache"\)\. Pass a PostgresCluster, MySqlCluster or RedisCluster, a backup source/);
  });
  test('a database engine without backup support', () => {
    const { chart } = chartWithDatabase();
    // An engine without a backup source (here: a renamed PostgreSQL engine whose cluster is not IBackupable).
    class TimescaleEngine extends PostgresEngine { public readonly appName: string = 'timescaledb'; }
    class TimescaleCluster extends ReplicatedDatabase { constructor(scope: Construct, id: string) { super(scope, id, new TimescaleEngine(), {}); } }
    const tsdb = new TimescaleCluster(chart, 'metrics-db');
    expect(() => new BackupCronJob(chart, 'b', { database: tsdb as any, schedule: daily, target: volume() }))
      .toThrow(/test\/b: database is not a database a backup job can dump \(it has no backupSource\(\)\) \(got "test\/metrics-db"\)/);
  });
  test('a database in another namespace', () => {
    const { db } = chartWithDatabase('shop');
    const other = new Chart(Testing.app(), 'other', { namespace: 'ops' });
    expect(() => new BackupCronJob(other, 'b', { database: db, schedule: daily, target: volume() })).toThrow(/database is in namespace "shop" but this job is in "ops"/);
  });
  test('conflicting props: one error listing all', () => {
    const { chart, db } = chartWithDatabase();
    expect(() => new BackupCronJob(chart, 'b', { database: db, schedule: daily, retention: 3, target: BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart) }) }))
      .toThrow(/retention \(3\) only applies to volume targets.*bucket lifecycle rule/);
    expect(() => backup({ concurrencyPolicy: kplus.ConcurrencyPolicy.ALLOW, transferResources: presetResources(ResourcePreset.MICRO) }))
      .toThrow(/2 configuration problem\(s\):\n  - transferResources only applies to S3 targets.*\n  - concurrencyPolicy Allow with a volume target/);
  });
  test('PostgresBackupSource: bad compression level and database name', () => {
    const { db } = chartWithDatabase();
    expect(() => new PostgresBackupSource(db, { compressionLevel: 10 })).toThrow(/backup compressionLevel must be an integer 1-9/);
    expect(() => new PostgresBackupSource(db, { dump: PostgresDump.database({ database: '' }) })).toThrow(/backup dump database must be a PostgreSQL database name/);
    expect(() => new PostgresBackupSource(db, { dumpPrefix: 'Bad/Prefix' })).toThrow(/backup dumpPrefix must be lowercase/);
  });
});
