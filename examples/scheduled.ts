import * as kplus from 'cdk8s-plus-27';
import { App, Chart, Cron, Size } from 'cdk8s';
import { BackupCronJob, BackupSchedule, BackupTarget, MySqlCluster, PostgresCluster, RedisCluster, RestoreJob } from '../lib';

/**
 * Backups of the orders database (in namespace `shop`, like the database):
 * - `orders-backup`: daily at 03:00 Europe/Berlin to a 50Gi volume, keeping the newest 7 dumps;
 * - `orders-s3-backup`: daily at 04:30 to an S3-compatible bucket (expire old objects with a
 *   bucket lifecycle rule), through a 20Gi scratch emptyDir. Create the Secret first (it is
 *   mounted into the upload container as files, never passed as env):
 *     kubectl -n shop create secret generic backup-s3 \
 *       --from-literal=access-key-id=... --from-literal=secret-access-key=...
 *   Both backups keep the last 3 successful Jobs and the last failed one for their logs (no TTL:
 *   the history limits decide).
 * - `orders-restore`: restores the newest dump of `orders-backup`. Apply it only when you mean to
 *   restore (scale the application to zero first); see README "Restore, step by step".
 * - `shop-db-backup`, `cache-backup` and `payments-db-backup`: the MySQL, Redis and HA PostgreSQL
 *   (Patroni: the dump reads from `payments-db-primary`, the elected leader) clusters, nightly, 3 dumps each.
 */
export function scheduledExamples(app: App, ordersDb: PostgresCluster, others: { shopDb?: MySqlCluster; cache?: RedisCluster; paymentsDb?: PostgresCluster } = {}): void {
  const chart = new Chart(app, 'backups', { namespace: 'shop' });
  const backup = new BackupCronJob(chart, 'orders-backup', {
    database: ordersDb,
    schedule: BackupSchedule.cron(Cron.schedule({ minute: '0', hour: '3' })),
    timeZone: 'Europe/Berlin',
    target: BackupTarget.persistentVolume({ size: Size.gibibytes(50), storageClassName: 'standard-rwo' }),
    retention: 7,
  });
  new BackupCronJob(chart, 'orders-s3-backup', {
    database: ordersDb,
    schedule: BackupSchedule.expression('30 4 * * *'),
    target: BackupTarget.s3({
      endpoint: 'https://minio.storage.svc.cluster.local:9000',
      bucket: 'db-backups',
      prefix: 'shop/orders',
      region: 'us-east-1',
      credentialsSecret: kplus.Secret.fromSecretName(chart, 'backup-s3', 'backup-s3'),
    }),
    scratchSpace: Size.gibibytes(20),
  });
  new RestoreJob(chart, 'orders-restore', { backup });

  for (const [name, database] of [['shop-db-backup', others.shopDb], ['cache-backup', others.cache], ['payments-db-backup', others.paymentsDb]] as const) {
    if (!database) continue;
    new BackupCronJob(chart, name, {
      database,
      schedule: BackupSchedule.expression('15 2 * * *'),
      target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }),
      retention: 3,
    });
  }
}
