import { App, Chart, Duration, Size } from 'cdk8s';
import { DisruptionBudget, HighAvailability, MySqlCluster, PostgresCluster, RedisCluster, RedisEvictionPolicy, ResourcePreset } from '../lib';

/**
 * A primary-replica PostgreSQL cluster for an orders service: `orders-db-0` is the primary,
 * `orders-db-1` and `orders-db-2` stream from it. Create the Secret first:
 *   kubectl -n shop create secret generic orders-db-credentials \
 *     --from-literal=postgres-password=... --from-literal=replication-password=...
 */
export function databaseExamples(app: App): { ordersDb: PostgresCluster; shopDb: MySqlCluster; cache: RedisCluster; paymentsDb: PostgresCluster } {
  const chart = new Chart(app, 'databases', { namespace: 'shop' });
  const ordersDb = new PostgresCluster(chart, 'orders-db', {
    replicas: 3,
    storage: Size.gibibytes(50),
    storageClassName: 'standard-rwo',
    resourcePreset: ResourcePreset.LARGE,
    disruptionBudget: DisruptionBudget.maxUnavailable(1),
    clientLabels: { 'orders-db-client': 'true' },
    terminationGracePeriod: Duration.seconds(90),
    // shared_buffers (1GB), effective_cache_size (3GB) and /dev/shm (1Gi) follow the LARGE preset's
    // 4Gi memory limit; max_slot_wal_keep_size (12.5GB) a quarter of the volume. A replica more
    // than maxReplicaLag behind leaves the read Service until it catches up.
    maxReplicaLag: Duration.seconds(30),
    settings: { maxConnections: 200, parameters: { log_min_duration_statement: '500ms' } },
    metrics: true,
  });

  // High availability: Patroni elects the primary through the Kubernetes API (ConfigMaps) and
  // fails over by itself; payments-db-primary follows the leader, payments-db-replicas the rest.
  // Synchronous mode: no acknowledged commit is lost on failover, for a slower commit (README).
  // Secret payments-db-credentials: postgres-password, replication-password, rewind-password.
  const paymentsDb = new PostgresCluster(chart, 'payments-db', {
    replicas: 3,
    storage: Size.gibibytes(20),
    highAvailability: HighAvailability.patroni({ synchronous: true }),
  });

  // MySQL 8.4 LTS: shop-db-0 writes the binary log, shop-db-1/2 replicate with GTID.
  // Secret shop-db-credentials: root-password, replication-password.
  const shopDb = new MySqlCluster(chart, 'shop-db', {
    replicas: 3,
    storage: Size.gibibytes(20),
    // innodb_buffer_pool_size: half the memory limit (1024M under the default MEDIUM preset).
    settings: { maxConnections: 300 },
    // mysqld-exporter sidecar on 9104: replication and exporter alerts, a PodMonitor.
    metrics: true,
  });

  // Redis: cache-0 is the primary, cache-1/2 run replicaof; 5Gi each for the append-only file.
  // Secret cache-credentials: redis-password.
  const cache = new RedisCluster(chart, 'cache', {
    replicas: 3,
    storage: Size.gibibytes(5),
    settings: { evictionPolicy: RedisEvictionPolicy.ALL_KEYS_LRU },
    // redis_exporter sidecar on 9121: replica link and exporter alerts, a PodMonitor.
    metrics: true,
  });
  return { ordersDb, shopDb, cache, paymentsDb };
}
