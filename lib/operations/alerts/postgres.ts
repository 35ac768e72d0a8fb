/** PostgreSQL alerts on the metrics of the pinned postgres-exporter v0.15.0 sidecar. */
import { PostgresCluster } from '../../databases/postgres/postgres-cluster';
import { promSelector } from '../inspect';
import { exporterDown } from './exporter';
import { AlertRule, AlertSeverity, rule } from './types';

export function postgresExporterRules(db: PostgresCluster, ns: string | undefined): AlertRule[] {
  const sts = db.statefulSet.name;
  const pods = promSelector({ namespace: ns }, { pod: `${sts}-[0-9]+` });
  const primary = promSelector({ namespace: ns, pod: `${sts}-0` });
  const lag = db.postgres.maxReplicaLag.toSeconds();
  const rules = [exporterDown(sts, ns, { prefix: 'Postgres', upMetric: 'pg_up', exporter: 'postgres-exporter', server: 'PostgreSQL' })];
  if (db.replicas < 2) return rules;
  return [...rules,
    rule({
      alert: 'PostgresReplicationLag',
      expr: `pg_replication_lag_seconds${pods} > ${lag} and on (namespace, pod) pg_replication_is_replica${pods} == 1`,
      forDuration: '5m',
      severity: AlertSeverity.WARNING,
      summary: 'Replica {{ $labels.namespace }}/{{ $labels.pod }} lags behind the primary.',
      description: `Replica {{ $labels.pod }} replays WAL more than ${lag}s (maxReplicaLag) behind the primary for 5 minutes; it has left the read Service.`,
      firstSteps: ['Compare the primary\'s write rate with the replica\'s disk and CPU.', 'Look for long-running queries on the replica that conflict with replay.'],
    }),
    rule({
      alert: 'PostgresReplicaNotStreaming',
      expr: `(count by (namespace, pod) (pg_stat_replication_pg_wal_lsn_diff${promSelector({ namespace: ns, pod: `${sts}-0`, state: 'streaming' })}) or (pg_up${primary} * 0))`
        + ` < ${db.replicas - 1} and on (namespace, pod) pg_up${primary} == 1`,
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Not every replica streams from the primary {{ $labels.namespace }}/{{ $labels.pod }}.',
      description: `The primary {{ $labels.pod }} has fewer than ${db.replicas - 1} replicas in state streaming (pg_stat_replication) for 5 minutes.`,
      firstSteps: ['On the primary: `SELECT application_name, state FROM pg_stat_replication;` and `SELECT slot_name, active FROM pg_replication_slots;`.', 'Read the logs of the replica that is missing.'],
    }),
  ];
}
