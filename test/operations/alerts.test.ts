/** Alerts without promtool: scoping, labels, the PrometheusRule object, and which alerts exist. */
import { App, Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import { Alerts, AlertSeverity, BackupCronJob, BackupSchedule, BackupTarget, BatchJob, JobPattern, MySqlCluster, NodeExporterDaemon, PostgresCluster } from '../../lib';

function chart() {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'shop' });
  const pg = new PostgresCluster(c, 'orders-db', { replicas: 3, storage: Size.gibibytes(10), metrics: true, maxReplicaLag: Duration.seconds(45) });
  const my = new MySqlCluster(c, 'shop-db', { replicas: 2, storage: Size.gibibytes(10) });
  const backup = new BackupCronJob(c, 'orders-backup', { database: pg, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(20) }) });
  const job = new BatchJob(c, 'report', { image: 'busybox:1.36', command: ['true'], pattern: JobPattern.singleRun(), activeDeadline: Duration.minutes(30) });
  return { c, pg, my, backup, job };
}
const names = (a: Alerts) => a.rules.map((r) => `${r.alert}:${r.severity}`);

test('a PostgresCluster with metrics gets StatefulSet, volume and exporter alerts scoped to its objects', () => {
  const { pg } = chart();
  const alerts = Alerts.forDatabase(pg);
  expect(names(alerts)).toEqual([
    'StatefulSetReplicasMismatch:warning', 'StatefulSetUpdateNotRolledOut:warning', 'PersistentVolumeFillingUp:critical', 'PersistentVolumeFillingUp:warning',
    'DatabasePrimaryNotReady:critical', 'PostgresExporterDown:warning', 'PostgresReplicationLag:warning', 'PostgresReplicaNotStreaming:critical',
  ]);
  expect(alerts.namespaceName).toBe('shop');
  for (const r of alerts.rules) expect(r.expr).toContain('namespace="shop"');
  expect(alerts.rules[2].expr).toContain('persistentvolumeclaim=~"(data)-orders-db-[0-9]+"');
  expect(alerts.rules.find((r) => r.alert === 'PostgresReplicationLag')!.expr).toContain('pg_replication_lag_seconds{namespace="shop", pod=~"orders-db-[0-9]+"} > 45');
  expect(alerts.rules.find((r) => r.alert === 'PostgresReplicaNotStreaming')!.expr).toContain('< 2');
});

test('MySQL runs no exporter here: no exporter alerts', () => {
  expect(names(Alerts.forDatabase(chart().my)).filter((n) => /Exporter|Replication|Streaming/.test(n))).toEqual([]);
});

test('a daily backup alerts after two days; the periods are a prop', () => {
  const { backup } = chart();
  expect(Alerts.forBackup(backup).rules[0].expr).toContain('> 172800');
  expect(Alerts.forBackup(backup, { backupMaxAgePeriods: 3 }).rules[0].expr).toContain('> 259200');
  expect(Alerts.forBackup(backup).rules.map((r) => r.alert)).toEqual(['BackupTooOld', 'BackupFailed', 'BackupSuspended']);
});

test('a Job alerts past its activeDeadline, by job_name', () => {
  const rules = Alerts.forJob(chart().job).rules;
  expect(rules[0].expr).toBe('kube_job_failed{namespace="shop", job_name="report", condition="true"} > 0');
  expect(rules[1].expr).toMatch(/> 1800$/);
});

test('node agents are scoped to their own namespace and DaemonSet', () => {
  const c = new Chart(new App(), 'agents');
  const agent = new NodeExporterDaemon(c, 'node-exporter', {});
  const alerts = Alerts.forDaemon(agent);
  expect(alerts.namespaceName).toBe(agent.namespaceName);
  expect(alerts.rules[0].expr).toContain(`daemonset="${agent.daemonSet.name}"`);
});

test('Alerts.of finds every library construct; the PrometheusRule carries rule labels, severities and runbook URLs', () => {
  const { c } = chart();
  const all = Alerts.of(c, { ruleLabels: { release: 'kube-prometheus-stack' }, alertLabels: { team: 'orders' }, runbookUrl: 'https://wiki/RUNBOOK.md' });
  expect(all.map((a) => a.name)).toEqual(['orders-db', 'shop-db', 'orders-backup', 'report']);
  const out = new Chart(Testing.app(), 'alerts');
  for (const a of all) a.addPrometheusRule(out);
  const rule = Testing.synth(out).find((m) => m.metadata.name === 'orders-db-alerts');
  expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { namespace: 'shop', labels: { release: 'kube-prometheus-stack' } } });
  expect(rule.spec.groups[0].rules[0]).toMatchObject({
    alert: 'StatefulSetReplicasMismatch', for: '15m', labels: { team: 'orders', severity: AlertSeverity.WARNING },
    annotations: { runbook_url: 'https://wiki/RUNBOOK.md#orders-db-statefulsetreplicasmismatch-warning' },
  });
});
