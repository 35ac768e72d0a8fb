/**
 * Operations for every example chart: its alerts as PrometheusRules
 * (dist/<chart>.prometheusrules.yaml), PodMonitors for its metrics endpoints
 * (dist/<chart>.podmonitors.yaml), its runbook (dist/<chart>.RUNBOOK.md) and its capacity
 * (dist/<chart>.capacity.json); and the production-readiness report of the whole app
 * (dist/readiness.json). Call it last, once every chart is complete.
 *
 * The rules and monitors go to their own files, not into the charts' .k8s.yaml: a cluster
 * without the prometheus-operator CRDs rejects them ("no matches for kind PrometheusRule"), and
 * the workloads must apply there too. Apply the two files once the operator runs. To ship them
 * in the chart instead, call `Monitoring.addTo(chart, chart, options)`; the harness validates
 * them either way (with @kubernetes-models/prometheus-operator installed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Alerts, Capacity, Monitors, Readiness, ReadinessRule, Runbook } from '../lib';

const NODE_COUNT = 3;

export function operationsExamples(app: App): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  const prometheusRules: any[] = [];
  for (const chart of app.charts) {
    const file = (suffix: string) => path.join(app.outdir, `${chart.node.id}.${suffix}`);
    // kube-prometheus-stack picks up rules labelled with its release name.
    const alertOptions = { ruleLabels: { release: 'kube-prometheus-stack' }, runbookUrl: `${chart.node.id}.RUNBOOK.md` };
    const alerts = Alerts.of(chart, alertOptions);
    if (alerts.length) {
      const rules = new Chart(new App(), chart.node.id);
      for (const a of alerts) a.addPrometheusRule(rules);
      prometheusRules.push(...rules.toJson());
      fs.writeFileSync(file('prometheusrules.yaml'), Yaml.stringify(...rules.toJson()));
    }
    const monitors = Monitors.of(chart, { monitorLabels: { release: 'kube-prometheus-stack' } });
    if (monitors.length) {
      const out = new Chart(new App(), chart.node.id);
      for (const m of monitors) m.addPodMonitor(out);
      fs.writeFileSync(file('podmonitors.yaml'), Yaml.stringify(...out.toJson()));
    }
    Runbook.write(chart, file('RUNBOOK.md'), { alerts: alertOptions, nodeCount: NODE_COUNT });
    fs.writeFileSync(file('capacity.json'), JSON.stringify(Capacity.of(chart, { nodeCount: NODE_COUNT }).toJson(), null, 2) + '\n');
  }
  readinessExamples(app, prometheusRules);
}

/**
 * What the examples knowingly leave out, each with the reason a reviewer needs. Paths are the
 * cdk8s-plus resources' construct paths; a renamed example fails here instead of going unchecked.
 */
type Exception = [path: string, rule: ReadinessRule, reason: string];
const NO_JOB_POLICY = 'BatchJob emits no NetworkPolicy yet (library gap), so its egress is open';
const EXCEPTIONS: Exception[] = [
  ...['report', 'thumbnails', 'partitions'].map((id): Exception => [`batch-jobs/${id}/Default`, ReadinessRule.NETWORK_POLICY,
    `${NO_JOB_POLICY}; what this example job talks to is not part of the example`]),
  ['batch-jobs/queue-workers/Default', ReadinessRule.NETWORK_POLICY, `${NO_JOB_POLICY}; the workers need the queue at jobs-queue:6379, which the example does not deploy`],
  ['migrations/migrate/Default', ReadinessRule.NETWORK_POLICY, 'MigrationJob emits no NetworkPolicy of its own yet (library gap), so its egress is open; the database policy admits it by its client label'],
  ['node-agents/fluent-bit/Default', ReadinessRule.NETWORK_POLICY, 'LogCollectorDaemon emits no NetworkPolicy yet (library gap); it needs egress to the API server and Elasticsearch'],
  ...['replicate', 'cutover', 'smoke-check', 'unfreeze-blue', 'unfreeze-green'].map((id): Exception => [`blue-green/orders-postgres/${id}/Default`, ReadinessRule.ALERTS,
    'a one-shot blue-green step, run and watched by the operator following the cutover runbook']),
  ...['search/elasticsearch', 'search/opensearch', 'log-pipeline/logs/logs-es'].map((at): Exception => [`${at}/Default`, ReadinessRule.DATABASE_BACKUP,
    'ElasticsearchCluster has no backup yet (snapshot repositories are not built: library gap)']),
  ['log-pipeline-collector/logs-collector/Default', ReadinessRule.NETWORK_POLICY, 'LogCollectorDaemon emits no NetworkPolicy yet (library gap); it needs egress to the API server and Logstash'],
  ...['orders-pg15', 'orders-pg16'].map((id): Exception => [`blue-green/${id}/Default`, ReadinessRule.DATABASE_BACKUP,
    'the blue-green example shows the migration only; back up the live color as examples/scheduled.ts does for orders-db']),
];

/** Suppresses the examples' known exceptions, then writes dist/readiness.json (which a test keeps empty of problems). */
function readinessExamples(app: App, prometheusRules: any[]): void {
  const byPath = new Map<string, IConstruct>(app.node.findAll().map((c) => [c.node.path, c]));
  for (const [at, rule, reason] of EXCEPTIONS) {
    const construct = byPath.get(at);
    if (!construct) throw new Error(`examples/operations.ts: no construct at ${at} to suppress ${rule} on`);
    Readiness.suppress(construct, rule, reason);
  }
  // The PrometheusRules go to their own files (above), so they are passed in to satisfy the alerts rule.
  const report = Readiness.check(app, { additionalManifests: prometheusRules });
  fs.writeFileSync(path.join(app.outdir, 'readiness.json'), JSON.stringify(report.toJson(), null, 2) + '\n');
}
