import { App, Chart, Duration, Size } from 'cdk8s';
import { DisruptionBudget, MySqlCluster, PostgresCluster, RedisCluster, RedisEvictionPolicy, ResourcePreset } from '../lib';

/**
 * A primary-replica PostgreSQL cluster for an orders service: `orders-db-0` is the primary,
 * `orders-db-1` and `orders-db-2` stream from it. Create the Secret first:
 *   kubectl -n shop create secret generic orders-db-credentials \
 *     --from-literal=postgres-password=... --from-literal=replication-password=...
 */
export function databaseExamples(app: App): { ordersDb: PostgresCluster; shopDb: MySqlCluster; cache: RedisCluster } {
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

  // MySQL 8.4 LTS: shop-db-0 writes the binary log, shop-db-1/2 replicate with GTID.
  // Secret shop-db-credentials: root-password, replication-password.
  const shopDb = new MySqlCluster(chart, 'shop-db', {
    replicas: 3,
    storage: Size.gibibytes(20),
    settings: { maxConnections: 300, innodbBufferPoolSize: Size.gibibytes(1) },
  });

  // Redis: cache-0 is the primary, cache-1/2 run replicaof; 5Gi each for the append-only file.
  // Secret cache-credentials: redis-password.
  const cache = new RedisCluster(chart, 'cache', {
    replicas: 3,
    storage: Size.gibibytes(5),
    settings: { evictionPolicy: RedisEvictionPolicy.ALL_KEYS_LRU },
  });
  return { ordersDb, shopDb, cache };
}
