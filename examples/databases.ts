import { App, Chart, Duration, Size } from 'cdk8s';
import { DisruptionBudget, PostgresCluster, ResourcePreset } from '../lib';

/**
 * A primary-replica PostgreSQL cluster for an orders service: `orders-db-0` is the primary,
 * `orders-db-1` and `orders-db-2` stream from it. Create the Secret first:
 *   kubectl -n shop create secret generic orders-db-credentials \
 *     --from-literal=postgres-password=... --from-literal=replication-password=...
 */
export function databaseExamples(app: App): { ordersDb: PostgresCluster } {
  const chart = new Chart(app, 'databases', { namespace: 'shop' });
  const ordersDb = new PostgresCluster(chart, 'orders-db', {
    replicas: 3,
    storage: Size.gibibytes(50),
    storageClassName: 'standard-rwo',
    resourcePreset: ResourcePreset.LARGE,
    disruptionBudget: DisruptionBudget.maxUnavailable(1),
    clientLabels: { 'orders-db-client': 'true' },
    terminationGracePeriod: Duration.seconds(90),
    settings: { maxConnections: 200, sharedBuffers: Size.gibibytes(1), parameters: { log_min_duration_statement: '500ms' } },
    metrics: true,
  });
  return { ordersDb };
}
