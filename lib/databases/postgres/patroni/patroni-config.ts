import { Yaml } from 'cdk8s';
import { DatabaseTopology } from '../../topology';
import { HighAvailability } from './high-availability';

/** Patroni's REST API port: health checks, switchover, member-to-member status. */
export const PATRONI_API_PORT = 8008;
/** The pod label Patroni writes the member's role into (Patroni's default). */
export const PATRONI_ROLE_LABEL = 'role';
/** The role value Patroni 3.0 writes on the leader pod (Patroni 4 writes `primary` unless told otherwise). */
export const PATRONI_LEADER_ROLE = 'master';
/** The role value on a running replica. */
export const PATRONI_REPLICA_ROLE = 'replica';
/** Patroni's topology: it elects the leader and writes these role labels (the config's `role_label`). */
export const patroniTopology = () => DatabaseTopology._electedPrimary({
  electedBy: 'Patroni', roleLabel: PATRONI_ROLE_LABEL, primaryRole: PATRONI_LEADER_ROLE, replicaRole: PATRONI_REPLICA_ROLE,
});
/** The pod label that tells Patroni which pods belong to its cluster (the value is the scope). */
export const PATRONI_SCOPE_LABEL = 'cluster-name';

/**
 * Parameters Patroni only takes from the cluster-wide (DCS) configuration, because primary and
 * replicas must agree on them; in the local file they would be ignored. They are written to
 * `bootstrap.dcs` (applied when the cluster is created; later changes: `patronictl edit-config`).
 */
const CLUSTER_WIDE = new Set([
  'max_connections', 'max_wal_senders', 'wal_level', 'wal_keep_size', 'max_prepared_transactions', 'max_locks_per_transaction',
  'track_commit_timestamp', 'max_replication_slots', 'max_worker_processes', 'wal_log_hints', 'hot_standby', 'listen_addresses', 'port',
]);

/** What the configuration is rendered from. */
export interface PatroniConfigInput {
  /** The cluster name (the StatefulSet). */
  readonly name: string;
  /** Patroni's scope (its ConfigMaps are `<scope>-config`, `-leader`, `-failover`, `-sync`). */
  readonly scope: string;
  /** Labels every member pod carries (the cluster's selector labels). */
  readonly labels: Record<string, string>;
  readonly ha: HighAvailability;
  /** postgresql.conf values as the plain engine renders them (strings single-quoted). */
  readonly settings: Record<string, string>;
  readonly pgdata: string;
  /** The image's PostgreSQL binaries. */
  readonly binDir: string;
  readonly socketDir: string;
  readonly port: number;
  readonly superuser: string;
  readonly replicationUser: string;
  readonly rewindUser: string;
}

/** `'256MB'` -> `256MB`: Patroni takes parameter values unquoted. */
function unquote(value: string): string {
  return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replace(/''/g, "'") : value;
}

/**
 * The Patroni configuration file. Everything pod-specific (member name, namespace, pod IP,
 * connect addresses) and every password comes from the environment (PATRONI_* variables set
 * from the downward API and by the start script from the mounted Secret), so one file serves
 * every member and holds no secret.
 */
export function renderPatroniConfig(input: PatroniConfigInput): string {
  const { ha } = input;
  const parameters = Object.fromEntries(Object.entries(input.settings)
    .filter(([name]) => name !== 'listen_addresses' && name !== 'hot_standby')
    .map(([name, value]) => [name, unquote(value)]));
  const hba = [
    // The pod's own processes (patronictl, kubectl exec psql) over the socket.
    'local all all trust',
    `host replication ${input.replicationUser} all scram-sha-256`,
    'host all all all scram-sha-256',
  ];
  const local = Object.fromEntries(Object.entries(parameters).filter(([name]) => !CLUSTER_WIDE.has(name)));
  const config = {
    scope: input.scope,
    // connect_address (the pod IP): PATRONI_RESTAPI_CONNECT_ADDRESS
    restapi: { listen: `0.0.0.0:${PATRONI_API_PORT}` },
    kubernetes: {
      // ConfigMaps, not Endpoints (deprecated in Kubernetes 1.33); chosen once, at creation.
      use_endpoints: false,
      labels: input.labels,
      scope_label: PATRONI_SCOPE_LABEL,
      role_label: PATRONI_ROLE_LABEL,
      // namespace and pod_ip: PATRONI_KUBERNETES_NAMESPACE / PATRONI_KUBERNETES_POD_IP
    },
    bootstrap: {
      dcs: {
        ttl: ha.ttlSeconds,
        loop_wait: ha.loopWaitSeconds,
        retry_timeout: ha.retryTimeoutSeconds,
        maximum_lag_on_failover: ha.maximumLagOnFailoverBytes,
        synchronous_mode: ha.synchronous,
        synchronous_mode_strict: false,
        postgresql: {
          // A failed leader rejoins as a replica by rewinding its divergent WAL instead of a full clone.
          use_pg_rewind: true,
          // Each replica streams through its own slot, so the leader keeps the WAL it still needs.
          use_slots: true,
          parameters: { ...parameters, wal_log_hints: 'on' },
        },
      },
      initdb: [{ encoding: 'UTF8' }, 'data-checksums'],
      // postgresql.pg_hba wins; Patroni 3.0.2's --validate-config still requires this one.
      pg_hba: hba,
    },
    postgresql: {
      // connect_address (the pod IP, what replicas stream from): PATRONI_POSTGRESQL_CONNECT_ADDRESS
      listen: `0.0.0.0:${input.port}`,
      data_dir: input.pgdata,
      bin_dir: input.binDir,
      pgpass: '/tmp/pgpass',
      authentication: {
        superuser: { username: input.superuser },
        replication: { username: input.replicationUser },
        rewind: { username: input.rewindUser },
      },
      parameters: { ...local, unix_socket_directories: input.socketDir },
      pg_hba: hba,
    },
    // No /dev/watchdog in a restricted pod: the leader demotes itself when it cannot renew its key.
    watchdog: { mode: 'off' },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  };
  return `# Generated by cdk8s-workloads (PostgresCluster ${input.name}, highAvailability): Patroni 3.0 configuration.\n${Yaml.stringify(config)}`;
}
