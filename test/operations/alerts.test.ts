/** Alerts without promtool: scoping, labels, the PrometheusRule object, and which alerts exist. */
import { App, Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import { Alerts, AlertSeverity, BackupCronJob, BackupSchedule, BackupTarget, BatchJob, JobPattern, Logstash, LogstashPipeline, MySqlCluster, MySqlFlavor, NodeExporterDaemon, PostgresCluster, RedisCluster, RestoreJob, Runbook, StatelessWorkload } from '../../lib';

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

test('MySQL without metrics runs no exporter: no exporter alerts', () => {
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

test('MySQL with metrics: exporter down, and replication stopped under both servers\' metric names, on replicas only', () => {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'shop' });
  for (const [id, flavor] of [['my84', MySqlFlavor.mysql84()], ['maria', MySqlFlavor.mariadb1011()]] as const) {
    const alerts = Alerts.forDatabase(new MySqlCluster(c, id, { replicas: 3, metrics: true, flavor }));
    expect(names(alerts).slice(-2)).toEqual(['MySqlExporterDown:warning', 'MySqlReplicationStopped:critical']);
    const stopped = alerts.rules.find((r) => r.alert === 'MySqlReplicationStopped')!.expr;
    for (const m of ['slave_sql_running', 'slave_io_running', 'replica_sql_running', 'replica_io_running']) expect(stopped).toContain(`(mysql_slave_status_${m}{namespace="shop", pod=~"${id}-[1-9][0-9]*"} == 0)`);
    expect(alerts.rules.find((r) => r.alert === 'MySqlExporterDown')!.expr).toContain(`mysql_up{namespace="shop", pod=~"${id}-[0-9]+"} == 0`);
  }
});

test('a single-pod MySQL or Redis with metrics has no replication alerts', () => {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'shop' });
  expect(names(Alerts.forDatabase(new MySqlCluster(c, 'my', { replicas: 1, metrics: true }))).slice(-1)).toEqual(['MySqlExporterDown:warning']);
  expect(names(Alerts.forDatabase(new RedisCluster(c, 'kv', { replicas: 1, metrics: true }))).slice(-1)).toEqual(['RedisExporterDown:warning']);
});

test('Redis with metrics: replica link down on replicas, replicas missing on the primary', () => {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'shop' });
  const alerts = Alerts.forDatabase(new RedisCluster(c, 'cache', { replicas: 3, metrics: true }));
  expect(names(alerts).slice(-3)).toEqual(['RedisExporterDown:warning', 'RedisReplicaLinkDown:critical', 'RedisReplicasMissing:warning']);
  expect(alerts.rules.find((r) => r.alert === 'RedisReplicaLinkDown')!.expr).toBe('redis_master_link_up{namespace="shop", pod=~"cache-[1-9][0-9]*"} == 0');
  expect(alerts.rules.find((r) => r.alert === 'RedisReplicasMissing')!.expr).toBe('redis_connected_slaves{namespace="shop", pod="cache-0"} < 2 and on (namespace, pod) redis_up{namespace="shop", pod="cache-0"} == 1');
});

test('a RestoreJob alerts when it failed or runs past its activeDeadline, by its Job name', () => {
  const { c, backup } = chart();
  const restore = new RestoreJob(c, 'orders-restore', { backup, activeDeadline: Duration.minutes(90) });
  const alerts = Alerts.forRestore(restore);
  expect(names(alerts)).toEqual(['RestoreFailed:critical', 'RestoreNotCompleted:warning']);
  expect(alerts.rules[0].expr).toBe('kube_job_failed{namespace="shop", job_name="orders-restore", condition="true"} > 0');
  expect(alerts.rules[1].expr).toMatch(/job_name="orders-restore"\}.* > 5400$/);
  expect(Alerts.of(c).map((a) => a.name)).toContain('orders-restore');
});

describe('StatelessWorkload (a Deployment)', () => {
  const web = (c: Chart, id: string, extra: object = {}) => new StatelessWorkload(c, id, { image: 'nginxinc/nginx-unprivileged:1.27.3', user: { uid: 101, gid: 101 }, ports: [{ name: 'http', port: 8080 }], ...extra });

  test('replicas mismatch, generation mismatch and rollout stuck, scoped by namespace and deployment', () => {
    const c = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    const alerts = Alerts.forWorkload(web(c, 'storefront', { name: 'front' }));
    expect(alerts.name).toBe('front');
    expect(names(alerts)).toEqual(['DeploymentReplicasMismatch:warning', 'DeploymentGenerationMismatch:warning', 'DeploymentRolloutStuck:warning']);
    const s = '{namespace="shop", deployment="front"}';
    expect(alerts.rules[0].expr).toBe(`(kube_deployment_spec_replicas${s} > kube_deployment_status_replicas_available${s}) and (changes(kube_deployment_status_replicas_updated${s}[10m]) == 0)`);
    expect(alerts.rules[1].expr).toBe(`kube_deployment_status_observed_generation${s} != kube_deployment_metadata_generation${s}`);
    expect(alerts.rules[2].expr).toBe('kube_deployment_status_condition{namespace="shop", deployment="front", condition="Progressing", status="false"} != 0');
    expect(alerts.rules.map((r) => r.forDuration)).toEqual(['15m', '15m', '15m']);
  });

  test('autoscaled: the same rules (the autoscaler writes spec.replicas), and the runbook changes the autoscaler\'s bounds instead of scaling', () => {
    const c = new Chart(Testing.app(), 'web', { namespace: 'shop' });
    const fixed = Alerts.forWorkload(web(c, 'fixed'));
    const scaled = Alerts.forWorkload(web(c, 'scaled', { autoscaling: { minReplicas: 2, maxReplicas: 5 } }));
    expect(scaled.rules.map((r) => r.expr)).toEqual(fixed.rules.map((r) => r.expr.split('"fixed"').join('"scaled"')));
    const text = Runbook.render(c);
    expect(text).toContain('kubectl -n shop scale deployment/fixed --replicas=3');
    expect(text).toContain('Runs Deployment `scaled` with 2 to 5 replicas (HorizontalPodAutoscaler `scaled`) behind Service `scaled`.');
    expect(text).toContain('kubectl -n shop patch hpa/scaled -p \'{"spec":{"maxReplicas":6}}\'');
    expect(text).not.toContain('scale deployment/scaled');
    expect(text).toContain('kubectl -n shop rollout status deployment/scaled');
    expect(text).toContain('<a id="scaled-deploymentrolloutstuck-warning"></a>');
  });

  test('Alerts.of finds StatelessWorkloads, and Logstash once, through the workload it is built on', () => {
    const c = new Chart(Testing.app(), 'logs', { namespace: 'logs' });
    web(c, 'viewer');
    new Logstash(c, 'logstash', { pipeline: LogstashPipeline.logs({ hosts: ['https://elasticsearch.search.svc.cluster.local:9200'] }) });
    const all = Alerts.of(c);
    expect(all.map((a) => `${a.name}:${a.target.constructor.name}`)).toEqual(['viewer:StatelessWorkload', 'logstash:StatelessWorkload']);
    expect(all[1].rules[0].expr).toContain('deployment="logstash"');
  });
});
