/**
 * Redis alerts on the metrics of the pinned redis_exporter v1.80.0 sidecar: `redis_up`,
 * `redis_master_link_up` (replicas only: INFO's master_link_status, 1 for "up") and
 * `redis_connected_slaves` (INFO's connected_slaves, on the primary).
 */
import { RedisCluster } from '../../databases/redis/redis-cluster';
import { promSelector } from '../inspect';
import { exporterDown, replicaPods } from './exporter';
import { AlertRule, AlertSeverity, rule } from './types';

export function redisExporterRules(db: RedisCluster, ns: string | undefined): AlertRule[] {
  const sts = db.statefulSet.name;
  const rules = [exporterDown(sts, ns, { prefix: 'Redis', upMetric: 'redis_up', exporter: 'redis_exporter', server: 'Redis' })];
  if (db.replicas < 2) return rules;
  const primary = promSelector({ namespace: ns, pod: `${sts}-0` });
  return [...rules,
    rule({
      alert: 'RedisReplicaLinkDown',
      expr: `redis_master_link_up${promSelector({ namespace: ns }, { pod: replicaPods(sts) })} == 0`,
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Replica {{ $labels.namespace }}/{{ $labels.pod }} has lost its link to the primary.',
      description: `master_link_status of replica {{ $labels.pod }} has not been up for 5 minutes: it serves stale data and must resynchronize from ${sts}-0.`,
      firstSteps: ['On the replica: `redis-cli --no-auth-warning -a "$REDIS_PASSWORD" INFO replication` (master_link_down_since_seconds, master_sync_in_progress).', 'Check the primary is reachable and the replica\'s logs for authentication or full-sync (output buffer) errors.'],
    }),
    rule({
      alert: 'RedisReplicasMissing',
      expr: `redis_connected_slaves${primary} < ${db.replicas - 1} and on (namespace, pod) redis_up${primary} == 1`,
      forDuration: '5m',
      severity: AlertSeverity.WARNING,
      summary: 'The primary {{ $labels.namespace }}/{{ $labels.pod }} has fewer connected replicas than the cluster runs.',
      description: `connected_slaves on {{ $labels.pod }} has been below ${db.replicas - 1} for 5 minutes: a replica is down or not replicating.`,
      firstSteps: ['On the primary: `INFO replication` lists the connected replicas.', 'Find the missing pod and read its logs.'],
    }),
  ];
}
