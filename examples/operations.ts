/**
 * Operations for every example chart: its alerts as PrometheusRules
 * (dist/<chart>.prometheusrules.yaml), PodMonitors for its metrics endpoints
 * (dist/<chart>.podmonitors.yaml), its runbook (dist/<chart>.RUNBOOK.md) and its capacity
 * (dist/<chart>.capacity.json). Call it last, once every chart is complete.
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
import { Alerts, Capacity, Monitors, Runbook } from '../lib';

const NODE_COUNT = 3;

export function operationsExamples(app: App): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  for (const chart of app.charts) {
    const file = (suffix: string) => path.join(app.outdir, `${chart.node.id}.${suffix}`);
    // kube-prometheus-stack picks up rules labelled with its release name.
    const alertOptions = { ruleLabels: { release: 'kube-prometheus-stack' }, runbookUrl: `${chart.node.id}.RUNBOOK.md` };
    const alerts = Alerts.of(chart, alertOptions);
    if (alerts.length) {
      const rules = new Chart(new App(), chart.node.id);
      for (const a of alerts) a.addPrometheusRule(rules);
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
}
