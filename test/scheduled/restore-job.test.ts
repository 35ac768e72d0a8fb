import { Cron, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { PostgresCluster, ResourcePreset } from '../../lib';
import { presetResources } from '../../lib/defaults/resources';
import { findManifest } from '../../lib/testing/validate';
import { BackupCronJob, BackupSchedule, BackupTarget, PostgresBackupSource, PostgresDump, RestoreJob, RestoreJobProps } from '../../lib';
import { chartWithDatabase, containerOf, envVar, literalEnv, podOf, s3Secret, synth } from './support';

function setup() {
  const { chart, db } = chartWithDatabase();
  const backup = new BackupCronJob(chart, 'orders-backup', { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }) });
  return { chart, db, backup };
}

describe('defaults (from a backup, volume target)', () => {
  const { chart, backup } = setup();
  const restore = new RestoreJob(chart, 'orders-restore', { backup });
  const manifests = synth(chart);
  const job = findManifest(manifests, 'Job', 'orders-restore');
  const pod = podOf(job);

  test('Job settings', () => {
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 86400, suspend: true });
    expect(pod.restartPolicy).toBe('Never');
    expect(restore.source).toBe(backup.source);
  });

  test('waits for the database (pg_isready loop), then restores the latest dump from the backup claim, read-only', () => {
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-database']);
    const wait = containerOf(job, 'wait-for-database');
    expect(wait.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/backup/wait-for-database.sh']);
    expect(literalEnv(wait)).toMatchObject({ PGHOST: 'orders-db-primary.shop.svc.cluster.local', PGPORT: '5432', WAIT_TIMEOUT_SECONDS: '600' });
    expect(wait.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain('/backups');
    const main = containerOf(job, 'restore');
    expect(literalEnv(main)).toMatchObject({ DUMP_NAME: '', DUMP_PREFIX: 'orders-db', DUMP_EXTENSION: '.sql.gz', PG_DUMP_SCOPE: 'all' });
    expect(envVar(main, 'PGPASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: 'orders-db-credentials', key: 'postgres-password' });
    expect(main.volumeMounts).toContainEqual({ name: 'dumps', mountPath: '/backups', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'orders-backup-dumps', readOnly: false } });
    expect(main.securityContext).toMatchObject({ runAsUser: 999, readOnlyRootFilesystem: true });
  });

  test('client label and a NetworkPolicy to the database port only', () => {
    expect(job.spec.template.metadata.labels['cdk8s-workloads.io/client-of']).toBe('orders-db');
    const egress = findManifest(manifests, 'NetworkPolicy', 'orders-restore').spec.egress;
    expect(egress).toHaveLength(2);
    expect(egress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });
});

test('overrides: a named dump, into a verification cluster, timings, from S3 with a download init container', () => {
  const { chart, db } = setup();
  const verify = new PostgresCluster(chart, 'orders-verify', { replicas: 1 });
  const s3 = BackupTarget.s3({ bucket: 'backups', prefix: 'orders', endpoint: 'http://minio.storage.svc:9000', credentialsSecret: s3Secret(chart) });
  new RestoreJob(chart, 'verify-restore', {
    database: db, target: s3, into: verify, dumpName: 'orders-db-20240131T030000Z.sql.gz', waitTimeout: Duration.minutes(2),
    backoffLimit: 0, activeDeadline: Duration.hours(6), ttlAfterFinished: Duration.hours(1), suspend: false,
  });
  const manifests = synth(chart);
  const job = findManifest(manifests, 'Job', 'verify-restore');
  expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 21600, ttlSecondsAfterFinished: 3600 });
  expect(job.spec.suspend).toBeUndefined();
  expect(podOf(job).initContainers.map((c: { name: string }) => c.name)).toEqual(['download', 'wait-for-database']);
  expect(literalEnv(containerOf(job, 'download'))).toMatchObject({ S3_BUCKET: 'backups', S3_PREFIX: 'orders', DUMP_NAME: 'orders-db-20240131T030000Z.sql.gz', HOME: '/home/aws' });
  expect(literalEnv(containerOf(job, 'wait-for-database'))).toMatchObject({ PGHOST: 'orders-verify-primary.shop.svc.cluster.local', WAIT_TIMEOUT_SECONDS: '120' });
  const main = containerOf(job, 'restore');
  expect(literalEnv(main)).toMatchObject({ PGHOST: 'orders-verify-primary.shop.svc.cluster.local', DUMP_PREFIX: 'orders-db' });
  expect(envVar(main, 'PGPASSWORD')!.valueFrom.secretKeyRef.name).toBe('orders-verify-credentials');
  expect(job.spec.template.metadata.labels).toMatchObject({ 'cdk8s-workloads.io/client-of': 'orders-verify' });
  const egress = findManifest(manifests, 'NetworkPolicy', 'verify-restore').spec.egress;
  expect(egress[0].to[0].podSelector.matchLabels['app.kubernetes.io/instance']).toBe('orders-verify');
  expect(egress[1]).toEqual({ ports: [{ protocol: 'TCP', port: 9000 }] });
});

describe('S3: scratch space and credentials of the download container', () => {
  const s3Target = (chart: ReturnType<typeof setup>['chart']) => BackupTarget.s3({ bucket: 'backups', credentialsSecret: s3Secret(chart), secretAccessKeyKey: 'secret' });

  test('the download emptyDir is size-limited and the download container requests it (default 10Gi, limit 1Gi more)', () => {
    const { chart, db } = setup();
    new RestoreJob(chart, 'r', { database: db, target: s3Target(chart) });
    const job = findManifest(synth(chart), 'Job', 'r');
    expect(podOf(job).volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '10240Mi' } });
    expect(containerOf(job, 'download').resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '10Gi' }, limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '11Gi' },
    });
    // The restore container only reads the dump.
    expect(containerOf(job, 'restore').resources.requests['ephemeral-storage']).toBeUndefined();
  });

  test('scratchSpace: explicit, or the backup\'s', () => {
    const { chart, db } = setup();
    const backup = new BackupCronJob(chart, 's3-backup', { database: db, schedule: BackupSchedule.cron(Cron.daily()), target: s3Target(chart), scratchSpace: Size.gibibytes(40) });
    new RestoreJob(chart, 'from-backup', { backup });
    new RestoreJob(chart, 'explicit', { backup, scratchSpace: Size.gibibytes(60) });
    const manifests = synth(chart);
    expect(podOf(findManifest(manifests, 'Job', 'from-backup')).volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '40960Mi' } });
    expect(containerOf(findManifest(manifests, 'Job', 'explicit'), 'download').resources.limits['ephemeral-storage']).toBe('61Gi');
  });

  test('credentials: the Secret mounted read-only into the download container only; no Secret reference in its env', () => {
    const { chart, db } = setup();
    new RestoreJob(chart, 'r', { database: db, target: s3Target(chart) });
    const job = findManifest(synth(chart), 'Job', 'r');
    expect(podOf(job).volumes).toContainEqual({
      name: 's3-credentials', secret: { secretName: 'backup-s3', defaultMode: 0o440, items: [{ key: 'access-key-id', path: 'access-key-id' }, { key: 'secret', path: 'secret-access-key' }] },
    });
    const download = containerOf(job, 'download');
    expect(download.volumeMounts).toContainEqual({ name: 's3-credentials', mountPath: '/var/run/secrets/s3-credentials', readOnly: true });
    expect(literalEnv(download).S3_CREDENTIALS_DIR).toBe('/var/run/secrets/s3-credentials');
    expect((download.env ?? []).filter((e: { name: string; valueFrom?: unknown }) => e.valueFrom !== undefined || e.name.startsWith('AWS_ACCESS') || e.name.startsWith('AWS_SECRET'))).toEqual([]);
    for (const name of ['wait-for-database', 'restore']) {
      expect(containerOf(job, name).volumeMounts.map((m: { name: string }) => m.name)).not.toContain('s3-credentials');
    }
  });
});

test('a persistentVolume target with a claimName works without the backup', () => {
  const { chart, db } = chartWithDatabase();
  new RestoreJob(chart, 'r', { database: db, target: BackupTarget.persistentVolume({ size: Size.gibibytes(1), claimName: 'orders-dumps' }) });
  expect(podOf(findManifest(synth(chart), 'Job', 'r')).volumes).toContainEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'orders-dumps', readOnly: false } });
});

describe('errors', () => {
  const expectError = (props: (s: ReturnType<typeof setup>) => RestoreJobProps, message: RegExp) => {
    const s = setup();
    expect(() => new RestoreJob(s.chart, 'restore', props(s))).toThrow(message);
  };
  test('backup together with database and target: one error listing both', () => expectError((s) => ({ backup: s.backup, database: s.db, target: BackupTarget.existingClaim('x') }),
    /test\/restore: 2 configuration problem\(s\):\n  - database conflicts with backup.*\n  - target conflicts with backup/));
  test('neither backup nor database/target', () => expectError(() => ({}), /database is required without backup.*\n  - target is required without backup/));
  test('persistentVolume target without claim name', () => expectError((s) => ({ database: s.db, target: BackupTarget.persistentVolume({ size: Size.gibibytes(1) }) }),
    /persistentVolume target without claimName.*pass backup, or BackupTarget.existingClaim/));
  test('a dump name of another database', () => expectError((s) => ({ backup: s.backup, dumpName: 'other-20240131T030000Z.sql.gz' }),
    /dumpName "other-20240131T030000Z.sql.gz" is not a dump of this database: names look like orders-db-20240131T030000Z.sql.gz/));
  test('a dump name with a path', () => expectError((s) => ({ backup: s.backup, dumpName: 'orders-db-../../x.sql.gz' }), /dumpName .* no "\/"/));
  test('restoring into something that is not a database', () => expectError((s) => ({ backup: s.backup, into: new Construct(s.chart, 'nothing') as any }),
    /into is not a database a backup job can dump/));
  test('name over 57 characters', () => expectError((s) => ({ backup: s.backup, name: 'r'.repeat(58) }), /name makes pod names like "r{58}-xxxxx" 64 characters long; at most 63 are allowed/));
  test('waitTimeout of zero', () => expectError((s) => ({ backup: s.backup, waitTimeout: Duration.seconds(0) }), /waitTimeout must be at least 1 second/));
  test('transferResources with a volume target', () => expectError((s) => ({ backup: s.backup, transferResources: { cpu: undefined, memory: undefined } as any }),
    /transferResources only applies to S3 targets/));
  test('a single-database source restores only its own dumps', () => {
    const { chart, db } = setup();
    const source = new PostgresBackupSource(db, { dump: PostgresDump.database({ database: 'shop' }) });
    expect(() => new RestoreJob(chart, 'r', { database: source, target: BackupTarget.existingClaim('d'), dumpName: 'orders-db-20240131T030000Z.sql.gz' }))
      .toThrow(/names look like orders-db-shop-20240131T030000Z.dump/);
  });
  test('scratchSpace with a volume target', () => expectError((s) => ({ backup: s.backup, scratchSpace: Size.gibibytes(5) }), /test\/restore: 1 configuration problem\(s\):\n  - scratchSpace only applies to S3 targets \(the emptyDir the dump passes through\); a volume target writes to its claim: remove it/));
  test('scratchSpace not whole GiB', () => expectError((s) => ({ database: s.db, target: BackupTarget.s3({ bucket: 'b-1', credentialsSecret: s3Secret(s.chart) }), scratchSpace: Size.mebibytes(512) }),
    /test\/restore: scratchSpace must be a whole number of GiB, at least 1 \(got "512Mi"\)/));
  test('transferResources.ephemeralStorage with an S3 target', () => expectError((s) => ({
    database: s.db, target: BackupTarget.s3({ bucket: 'b-1', credentialsSecret: s3Secret(s.chart) }),
    transferResources: { ...presetResources(ResourcePreset.SMALL), ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(2) } },
  }), /transferResources\.ephemeralStorage conflicts with scratchSpace/));
  test('S3 target without bucket', () => expectError((s) => ({ database: s.db, target: BackupTarget.s3({ bucket: '', credentialsSecret: s3Secret(s.chart) }) }), /target.bucket is required/));
});
