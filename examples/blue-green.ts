import { App, Chart, Duration, Size } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, MigrationStrategy, PostgresCluster } from '../lib';

/**
 * A blue-green upgrade of the orders database from PostgreSQL 15 (blue, serving) to 16 (green),
 * in namespace `shop`. The application connects to `orders-postgres:5432` and carries the label
 * `orders-client: "true"`, which both clusters admit. The migration Jobs are suspended: start
 * them by hand (README, "Blue-green cutover"). After a successful cutover, pass
 * BlueGreenColor.GREEN as `active`, synthesize and apply.
 */
export function blueGreenExamples(app: App, active: BlueGreenColor = BlueGreenColor.BLUE): BlueGreenDatabase {
  const chart = new Chart(app, 'blue-green', { namespace: 'shop' });
  const clientLabels = { 'orders-client': 'true' };
  const blue = new PostgresCluster(chart, 'orders-pg15', {
    replicas: 2, image: 'postgres:15.8', storage: Size.gibibytes(50), clientLabels,
    // The source of a logical-replication migration needs wal_level=logical.
    settings: { logicalReplication: true },
  });
  const green = new PostgresCluster(chart, 'orders-pg16', {
    replicas: 2, image: 'postgres:16.4', storage: Size.gibibytes(50), clientLabels,
    settings: { logicalReplication: true },
  });
  return new BlueGreenDatabase(chart, 'orders-postgres', {
    blue, green, active, name: 'orders-pg',
    strategy: MigrationStrategy.logicalReplication({ database: 'orders', appRole: 'orders_app', freezeTimeout: Duration.minutes(2) }),
    argoCdSyncWave: 1,
  });
}
