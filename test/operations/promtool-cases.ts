/**
 * For every alert we emit, an input series where it fires and one where it stays silent, in
 * `promtool test rules` form (1m sampling: sparser series go stale). Built from the Alerts
 * object, so thresholds (replica lag, Job deadline, backup age) come from the constructs.
 */
import { Duration } from 'cdk8s';
import { AlertRule, Alerts, BackupCronJob, BatchJob, NodeAgent, PostgresCluster, ReplicatedDatabase, RestoreJob, StatelessWorkload } from '../../lib';
import { manifestOf } from '../../lib/operations/inspect';
import { longestRunSpan } from '../../lib/scheduled/schedule';

export interface Series { series: string; values: string }
export interface AlertCase { input: Series[]; evalMinutes: number; labels?: Record<string, string> }
/** `alsoFires`: more input shapes the alert must catch (e.g. another server version's metric names). */
export interface AlertCases { fire: AlertCase; silent: AlertCase; alsoFires?: AlertCase[] }

const sel = (labels: Record<string, string | undefined>) =>
  `{${Object.entries(labels).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
const s = (name: string, labels: Record<string, string | undefined>, values: string): Series => ({ series: `${name}${sel(labels)}`, values });
const clean = (labels: Record<string, string | undefined>) => Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== undefined)) as Record<string, string>;

/** The fire/silent pair for one rule of `alerts`; throws for an alert nobody wrote a case for. */
export function casesFor(alerts: Alerts, rule: AlertRule): AlertCases {
  const namespace = alerts.namespaceName;
  const t = alerts.target;
  const key = `${rule.alert}:${rule.severity}`;
  if (t instanceof ReplicatedDatabase) {
    const sts = t.statefulSet.name;
    const l = { namespace, statefulset: sts };
    const pvc = { namespace, persistentvolumeclaim: `data-${sts}-0` };
    const volume = (available: string): Series[] => [
      s('kubelet_volume_stats_available_bytes', pvc, available),
      s('kubelet_volume_stats_capacity_bytes', pvc, '100x200'),
      s('kubelet_volume_stats_used_bytes', pvc, '50x200'),
    ];
    const primary = { namespace, pod: `${sts}-0` };
    const replica = { namespace, pod: `${sts}-1` };
    const lag = t instanceof PostgresCluster ? t.postgres.maxReplicaLag.toSeconds() : 0;
    const streaming = (n: number) => Array.from({ length: n }, (_, i) => s('pg_stat_replication_pg_wal_lsn_diff', { ...primary, state: 'streaming', application_name: `${sts}-${i + 1}` }, '0x20'));
    switch (key) {
      case 'StatefulSetReplicasMismatch:warning': {
        const input = (ready: number) => [s('kube_statefulset_status_replicas_ready', l, `${ready}x30`), s('kube_statefulset_replicas', l, '3x30')];
        return { fire: { input: input(2), evalMinutes: 20, labels: clean(l) }, silent: { input: input(3), evalMinutes: 20 } };
      }
      case 'StatefulSetUpdateNotRolledOut:warning': {
        const input = (update: string) => [
          s('kube_statefulset_status_current_revision', { ...l, revision: 'a' }, '1x40'),
          s('kube_statefulset_status_update_revision', { ...l, revision: update }, '1x40'),
          s('kube_statefulset_replicas', l, '3x40'),
          s('kube_statefulset_status_replicas_updated', l, '1x40'),
        ];
        return { fire: { input: input('b'), evalMinutes: 30, labels: clean(l) }, silent: { input: input('a'), evalMinutes: 30 } };
      }
      case 'PersistentVolumeFillingUp:critical':
        return { fire: { input: volume('2x20'), evalMinutes: 5, labels: clean(pvc) }, silent: { input: volume('50x20'), evalMinutes: 5 } };
      case 'PersistentVolumeFillingUp:warning':
        return { fire: { input: volume('14-0.01x180'), evalMinutes: 120, labels: clean(pvc) }, silent: { input: volume('14x180'), evalMinutes: 120 } };
      case 'DatabasePrimaryNotReady:critical': {
        const input = (v: number) => [s('kube_pod_status_ready', { ...primary, condition: 'true' }, `${v}x10`)];
        return { fire: { input: input(0), evalMinutes: 8, labels: clean({ ...primary, condition: 'true' }) }, silent: { input: input(1), evalMinutes: 8 } };
      }
      case 'PostgresExporterDown:warning':
      case 'MySqlExporterDown:warning':
      case 'RedisExporterDown:warning': {
        const up = { Postgres: 'pg_up', MySql: 'mysql_up', Redis: 'redis_up' }[rule.alert.replace('ExporterDown', '')]!;
        const input = (scraped: number, connected: number) => [s('up', { ...replica, container: 'metrics' }, `${scraped}x10`), s(up, replica, `${connected}x10`)];
        return {
          fire: { input: input(0, 1), evalMinutes: 8, labels: clean({ ...replica, container: 'metrics' }) },
          silent: { input: input(1, 1), evalMinutes: 8 },
          // Scraped, but the exporter cannot log in to the server.
          alsoFires: [{ input: input(1, 0), evalMinutes: 8, labels: clean(replica) }],
        };
      }
      case 'MySqlReplicationStopped:critical': {
        const status = { master_host: `${sts}-0.${sts}-hl.shop.svc.cluster.local`, master_uuid: 'u', channel_name: '', connection_name: '' };
        // MySQL 8.4 answers only SHOW REPLICA STATUS: replica_* names.
        const mysql84 = (sql: number) => [s('mysql_up', replica, '1x10'), s('mysql_slave_status_replica_sql_running', { ...replica, ...status }, `${sql}x10`), s('mysql_slave_status_replica_io_running', { ...replica, ...status }, '1x10')];
        return {
          fire: { input: mysql84(0), evalMinutes: 8, labels: clean(replica) },
          silent: { input: mysql84(1), evalMinutes: 8 },
          alsoFires: [
            // MariaDB 10.11 and MySQL 8.0: slave_* names; the IO thread stuck "Connecting" is 0.
            { input: [s('mysql_up', replica, '1x10'), s('mysql_slave_status_slave_sql_running', { ...replica, ...status }, '1x10'), s('mysql_slave_status_slave_io_running', { ...replica, ...status }, '0x10')], evalMinutes: 8, labels: clean(replica) },
            // Up, but no replication status at all: START REPLICA never ran.
            { input: [s('mysql_up', replica, '1x10')], evalMinutes: 8, labels: clean(replica) },
          ],
        };
      }
      case 'RedisReplicaLinkDown:critical': {
        const link = { ...replica, master_host: `${sts}-0.${sts}-hl.shop.svc.cluster.local`, master_port: '6379' };
        const input = (v: number) => [s('redis_master_link_up', link, `${v}x10`)];
        return { fire: { input: input(0), evalMinutes: 8, labels: clean(link) }, silent: { input: input(1), evalMinutes: 8 } };
      }
      case 'RedisReplicasMissing:warning': {
        const input = (n: number) => [s('redis_up', primary, '1x10'), s('redis_connected_slaves', primary, `${n}x10`)];
        return { fire: { input: input(t.replicas - 2), evalMinutes: 8, labels: clean(primary) }, silent: { input: input(t.replicas - 1), evalMinutes: 8 } };
      }
      case 'PostgresReplicationLag:warning': {
        const input = (v: number) => [s('pg_replication_lag_seconds', replica, `${v}x10`), s('pg_replication_is_replica', replica, '1x10')];
        return { fire: { input: input(lag + 10), evalMinutes: 8, labels: clean(replica) }, silent: { input: input(0), evalMinutes: 8 } };
      }
      // HA (Patroni): the leader is the read-write Service's ready endpoint, whichever pod it is.
      case 'PatroniNoLeader:critical': {
        const input = (ready: string) => [s('kube_endpoint_address', { namespace, endpoint: `${t.name}-primary`, ip: '10.0.0.1', ready }, '1x10')];
        return { fire: { input: input('false'), evalMinutes: 5, labels: {} }, silent: { input: input('true'), evalMinutes: 5 } };
      }
      case 'PatroniTwoLeaders:critical': {
        const input = (n: number) => Array.from({ length: n }, (_, i) => s('kube_endpoint_address', { namespace, endpoint: `${t.name}-primary`, ip: `10.0.0.${i + 1}`, ready: 'true' }, '1x10'));
        return { fire: { input: input(2), evalMinutes: 5, labels: {} }, silent: { input: input(1), evalMinutes: 5 } };
      }
      case 'PatroniReplicasMissing:warning': {
        const input = (n: number) => Array.from({ length: n }, (_, i) => s('kube_endpoint_address', { namespace, endpoint: `${t.name}-replicas`, ip: `10.0.0.${i + 2}`, ready: 'true' }, '1x20'));
        return { fire: { input: input(t.replicas - 2), evalMinutes: 15, labels: {} }, silent: { input: input(t.replicas - 1), evalMinutes: 15 } };
      }
      case 'PostgresReplicaNotStreaming:critical': {
        const input = (n: number) => [s('pg_up', primary, '1x20'), ...streaming(n)];
        return { fire: { input: input(t.replicas - 2), evalMinutes: 8, labels: clean(primary) }, silent: { input: input(t.replicas - 1), evalMinutes: 8 } };
      }
    }
  }
  if (t instanceof BatchJob || t instanceof RestoreJob) {
    const l = { namespace, job_name: t instanceof BatchJob ? t.jobName : t.job.name };
    const deadline = (t instanceof BatchJob ? (t.job.activeDeadline ?? Duration.hours(12)).toSeconds() : manifestOf(t.job).spec.activeDeadlineSeconds) / 60;
    switch (key) {
      case 'RestoreFailed:critical':
      case 'JobFailed:warning': {
        const input = (v: number) => [s('kube_job_failed', { ...l, condition: 'true' }, `${v}x10`)];
        return { fire: { input: input(1), evalMinutes: 5, labels: clean({ ...l, condition: 'true' }) }, silent: { input: input(0), evalMinutes: 5 } };
      }
      case 'RestoreNotCompleted:warning':
      case 'JobNotCompleted:warning': {
        const input = (active: number) => [s('kube_job_status_start_time', l, `0x${deadline + 10}`), s('kube_job_status_active', l, `${active}x${deadline + 10}`)];
        return { fire: { input: input(1), evalMinutes: deadline + 5, labels: clean(l) }, silent: { input: input(0), evalMinutes: deadline + 5 } };
      }
    }
  }
  if (t instanceof BackupCronJob) {
    const l = { namespace, cronjob: t.cronJob.name };
    const maxAge = longestRunSpan(t.schedule.expressionString, 2);
    const job = { namespace, job_name: `${t.cronJob.name}-29000000` };
    switch (key) {
      case 'BackupTooOld:critical': {
        const input = (success: string) => [s('kube_cronjob_created', l, `0x${maxAge + 20}`), s('kube_cronjob_status_last_successful_time', l, success)];
        return { fire: { input: input(`0x${maxAge + 20}`), evalMinutes: maxAge + 10, labels: clean(l) }, silent: { input: input(`0+60x${maxAge + 20}`), evalMinutes: maxAge + 10 } };
      }
      case 'BackupFailed:warning': {
        const input = (lastSuccess: number) => [
          s('kube_job_status_start_time', job, '600x10'),
          s('kube_job_failed', { ...job, condition: 'true' }, '1x10'),
          s('kube_job_owner', { ...job, owner_kind: 'CronJob', owner_name: t.cronJob.name, owner_is_controller: 'true' }, '1x10'),
          s('kube_cronjob_created', l, '0x10'),
          s('kube_cronjob_status_last_successful_time', l, `${lastSuccess}x10`),
        ];
        return { fire: { input: input(0), evalMinutes: 5, labels: clean({ namespace }) }, silent: { input: input(1200), evalMinutes: 5 } };
      }
      case 'BackupSuspended:warning': {
        const input = (v: number) => [s('kube_cronjob_spec_suspend', l, `${v}x70`)];
        return { fire: { input: input(1), evalMinutes: 65, labels: clean(l) }, silent: { input: input(0), evalMinutes: 65 } };
      }
    }
  }
  if (t instanceof NodeAgent) {
    const l = { namespace, daemonset: t.daemonSet.name };
    const input = (current: number, mis: number, updated: number) => [
      s('kube_daemonset_status_desired_number_scheduled', l, '3x30'),
      s('kube_daemonset_status_current_number_scheduled', l, `${current}x30`),
      s('kube_daemonset_status_number_misscheduled', l, `${mis}x30`),
      s('kube_daemonset_status_updated_number_scheduled', l, `${updated}x30`),
      s('kube_daemonset_status_number_available', l, `${current}x30`),
    ];
    switch (key) {
      case 'DaemonSetNotScheduled:warning':
        return { fire: { input: input(2, 0, 2), evalMinutes: 15, labels: clean(l) }, silent: { input: input(3, 0, 3), evalMinutes: 15 } };
      case 'DaemonSetMisScheduled:warning':
        return { fire: { input: input(3, 1, 3), evalMinutes: 20, labels: clean(l) }, silent: { input: input(3, 0, 3), evalMinutes: 20 } };
      case 'DaemonSetRolloutStuck:warning':
        return { fire: { input: input(3, 0, 2), evalMinutes: 25, labels: clean(l) }, silent: { input: input(3, 0, 3), evalMinutes: 25 } };
    }
  }
  if (t instanceof StatelessWorkload) {
    const l = { namespace, deployment: t.deployment.name };
    switch (key) {
      case 'DeploymentReplicasMismatch:warning': {
        const input = (available: number) => [s('kube_deployment_spec_replicas', l, '3x30'), s('kube_deployment_status_replicas_available', l, `${available}x30`), s('kube_deployment_status_replicas_updated', l, '3x30')];
        return {
          fire: { input: input(2), evalMinutes: 20, labels: clean(l) },
          silent: { input: input(3), evalMinutes: 20 },
        };
      }
      case 'DeploymentGenerationMismatch:warning': {
        const input = (observed: number) => [s('kube_deployment_status_observed_generation', l, `${observed}x20`), s('kube_deployment_metadata_generation', l, '2x20')];
        return { fire: { input: input(1), evalMinutes: 18, labels: clean(l) }, silent: { input: input(2), evalMinutes: 18 } };
      }
      case 'DeploymentRolloutStuck:warning': {
        const progressing = { ...l, condition: 'Progressing' };
        // kube-state-metrics emits one series per status; the one matching the condition is 1.
        const input = (stuck: boolean) => ['true', 'false', 'unknown'].map((status) => s('kube_deployment_status_condition', { ...progressing, status }, `${(status === 'false') === stuck && status !== 'unknown' ? 1 : 0}x20`));
        return { fire: { input: input(true), evalMinutes: 18, labels: clean({ ...progressing, status: 'false' }) }, silent: { input: input(false), evalMinutes: 18 } };
      }
    }
  }
  throw new Error(`no promtool case for ${key} of ${alerts.name}: add one to test/operations/promtool-cases.ts`);
}

/** `{{ $labels.x }}` expanded the way Prometheus would (our annotations use nothing else). */
export function expand(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, k) => labels[k] ?? '');
}

/** The promtool test file for one rule file: two tests (fire, silent) per rule. */
export function promtoolTests(alerts: Alerts, ruleFile: string, extraLabels: Record<string, string> = {}): any {
  const spec = alerts.toSpec();
  const tests = alerts.rules.flatMap((rule, i) => {
    const cases = casesFor(alerts, rule);
    const specRule = spec.groups[0].rules[i];
    const expected = (labels: Record<string, string>) => {
      const all = { ...labels, ...extraLabels, severity: rule.severity };
      return { exp_labels: all, exp_annotations: Object.fromEntries(Object.entries(specRule.annotations as Record<string, string>).map(([k, v]) => [k, expand(v, all)])) };
    };
    const fires = (c: AlertCase, i: number) => ({
      name: `${alerts.name} ${rule.alert} ${rule.severity} fires${i ? ` (shape ${i + 1})` : ''}`, interval: '1m', input_series: c.input,
      alert_rule_test: [{ eval_time: `${c.evalMinutes}m`, alertname: rule.alert, exp_alerts: [expected(c.labels ?? {})] }],
    });
    return [
      ...[cases.fire, ...(cases.alsoFires ?? [])].map(fires),
      { name: `${alerts.name} ${rule.alert} ${rule.severity} stays silent`, interval: '1m', input_series: cases.silent.input, alert_rule_test: [{ eval_time: `${cases.silent.evalMinutes}m`, alertname: rule.alert, exp_alerts: [] }] },
    ];
  });
  return { rule_files: [ruleFile], evaluation_interval: '1m', tests };
}
