/**
 * MySQL and MariaDB alerts on the metrics of the pinned mysqld-exporter v0.18.0 sidecar. Its
 * slave_status collector names each metric after the lowercased column of the status statement
 * the server accepts: MariaDB 10.11 and MySQL 8.0 answer `SHOW ALL SLAVES STATUS` / `SHOW SLAVE
 * STATUS` (columns Slave_IO_Running, Slave_SQL_Running), MySQL 8.4 only `SHOW REPLICA STATUS`
 * (Replica_IO_Running, Replica_SQL_Running). "Yes" is 1; "No" and "Connecting" are 0.
 */
import { MySqlCluster } from '../../databases/mysql/mysql-cluster';
import { promSelector } from '../inspect';
import { exporterDown, replicaPods } from './exporter';
import { AlertRule, AlertSeverity, rule } from './types';

const THREAD_METRICS = ['slave_sql_running', 'slave_io_running', 'replica_sql_running', 'replica_io_running'].map((c) => `mysql_slave_status_${c}`);

export function mysqlExporterRules(db: MySqlCluster, ns: string | undefined): AlertRule[] {
  const sts = db.statefulSet.name;
  const rules = [exporterDown(sts, ns, { prefix: 'MySql', upMetric: 'mysql_up', exporter: 'mysqld-exporter', server: db.engine.appName === 'mariadb' ? 'MariaDB' : 'MySQL' })];
  if (db.replicas < 2) return rules;
  const replicas = promSelector({ namespace: ns }, { pod: replicaPods(sts) });
  // `or` matches label sets without the metric name, so each thread's stopped series is filtered
  // (== 0) before the union; a replica that is up but reports no replication status at all
  // (START REPLICA never ran) counts as stopped too.
  const stopped = THREAD_METRICS.map((m) => `(${m}${replicas} == 0)`).join(' or ');
  const sqlThread = THREAD_METRICS.filter((m) => m.endsWith('_sql_running')).map((m) => `${m}${replicas}`).join(' or ');
  return [...rules,
    rule({
      alert: 'MySqlReplicationStopped',
      expr: `min by (namespace, pod) (${stopped} or ((mysql_up${replicas} == 1) * 0 unless on (namespace, pod) (${sqlThread})))`,
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Replication on {{ $labels.namespace }}/{{ $labels.pod }} is stopped.',
      description: `The IO or SQL thread of replica {{ $labels.pod }} has not been running for 5 minutes, or the replica has no replication configured: it serves stale reads and falls behind ${sts}-0.`,
      firstSteps: [
        `On the replica: \`SHOW REPLICA STATUS\\G\` (MariaDB: \`SHOW SLAVE STATUS\\G\`) and read Last_IO_Error and Last_SQL_Error.`,
        'An IO error is the connection to the primary (network policy, replication password, purged binary logs); an SQL error is a conflicting write: re-seed the replica from a backup rather than skipping transactions.',
      ],
    }),
  ];
}
