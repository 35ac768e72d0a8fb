/** PodMonitors for the metrics endpoints we run, in the chart or a separate one, validated against the prometheus-operator CRD schemas. */
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Alerts, LogCollectorDaemon, Monitoring, Monitors, MySqlCluster, NodeExporterDaemon, PostgresCluster, RedisCluster, testing } from '../../lib';
import { CRD_MODELS, schemaProblems } from '../../lib/testing/schema';

function chart() {
  const c = new Chart(Testing.app(), 'ops', { namespace: 'shop' });
  const storage = Size.gibibytes(5);
  const pg = new PostgresCluster(c, 'orders-db', { replicas: 2, storage, metrics: true });
  const my = new MySqlCluster(c, 'shop-db', { replicas: 2, storage, metrics: true });
  const redis = new RedisCluster(c, 'cache', { replicas: 2, storage, metrics: true });
  const plain = new RedisCluster(c, 'sessions', { replicas: 1, storage });
  return { c, pg, my, redis, plain };
}

test('every database with an exporter and every node agent gets a PodMonitor; a database without metrics none', () => {
  const { c, plain } = chart();
  expect(Monitors.of(c).map((m) => m.name)).toEqual(['orders-db', 'shop-db', 'cache']);
  expect(Monitors.forDatabase(plain)).toBeUndefined();
  const agents = new Chart(new App(), 'agents');
  new NodeExporterDaemon(agents, 'node-exporter', {});
  new LogCollectorDaemon(agents, 'logs', { elasticsearch: { host: 'es.search.svc.cluster.local' } });
  expect(Monitors.of(agents).map((m) => [m.name, m.namespaceName, m.portName, m.path])).toEqual([
    ['node-exporter', 'monitoring', 'http', '/metrics'],
    ['logs', 'logging', 'http', '/api/v1/metrics/prometheus'],
  ]);
});

test('a PodMonitor selects exactly its workload\'s pods and scrapes a port those pods name', () => {
  const { c } = chart();
  const objects = Monitoring.addTo(c, new Chart(new App(), 'monitoring'));
  const manifests = Testing.synth(c);
  for (const monitor of objects.filter((o) => o.kind === 'PodMonitor').map((o) => o.toJson())) {
    const selected = manifests.filter((m) => m.kind === 'StatefulSet' && Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => m.spec.template.metadata.labels[k] === v));
    expect(selected.map((m) => `${m.metadata.name}-metrics`)).toEqual([monitor.metadata.name]);
    const endpoint = monitor.spec.podMetricsEndpoints[0];
    const ports = selected[0].spec.template.spec.containers.flatMap((k: any) => k.ports ?? []);
    expect(ports).toContainEqual(expect.objectContaining({ name: endpoint.port }));
    expect(endpoint.path).toBe(selected[0].spec.template.metadata.annotations['prometheus.io/path']);
    expect(monitor.metadata.namespace).toBe('shop');
  }
});

test('node agents\' targets carry the node name; monitor labels and the interval are options', () => {
  const agents = new Chart(new App(), 'agents');
  const exporter = new NodeExporterDaemon(agents, 'node-exporter', {});
  const monitor = Monitors.forDaemon(exporter, { monitorLabels: { release: 'kube-prometheus-stack' }, interval: Duration.seconds(30) }).addPodMonitor(new Chart(new App(), 'm')).toJson();
  expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
  expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }] }]);
  expect(monitor.spec.selector.matchLabels).toEqual(exporter.selectorLabels);
});

test('in the chart itself: rules and monitors pass the harness (CRD schemas, unknown fields rejected) beside the workloads', () => {
  const { c } = chart();
  const added = Monitoring.addTo(c, c, { alerts: { ruleLabels: { release: 'kube-prometheus-stack' } }, monitors: { monitorLabels: { release: 'kube-prometheus-stack' } } });
  expect(added.map((o) => `${o.kind}/${o.name}`)).toEqual([
    'PrometheusRule/orders-db-alerts', 'PrometheusRule/shop-db-alerts', 'PrometheusRule/cache-alerts', 'PrometheusRule/sessions-alerts',
    'PodMonitor/orders-db-metrics', 'PodMonitor/shop-db-metrics', 'PodMonitor/cache-metrics',
  ]);
  const manifests = testing.Harness.synthValid(c, { restricted: true, production: true });
  expect(manifests.filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')).toHaveLength(7);
  expect(manifests.find((m) => m.kind === 'PodMonitor').metadata.namespace).toBe('shop');
});

test('the harness rejects a misspelt field in a PrometheusRule and a wrong type in a PodMonitor', () => {
  const { pg } = chart();
  const rule = Alerts.forDatabase(pg).addPrometheusRule(new Chart(new App(), 'r')).toJson();
  rule.spec.groups[0].rules[0].annotation = { summary: 'typo' };
  expect(schemaProblems(rule)).toContain('unknown field /spec/groups/0/rules/0/annotation');
  const monitor = Monitors.forDatabase(pg)!.addPodMonitor(new Chart(new App(), 'm')).toJson();
  monitor.spec.podMetricsEndpoints[0].interval = 30;
  expect(schemaProblems(monitor)).toEqual([expect.stringMatching(/^schema: .*interval must be string/)]);
});

test('a CRD group whose schema package is missing is a problem naming the package and the install command', () => {
  CRD_MODELS['example.com'] = { packageName: '@example/not-installed-models', range: '~1.0.0' };
  try {
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no schema for apiVersion "example.com/v1" kind "Widget": its schemas are in the package "@example/not-installed-models", which is not installed. '
      + 'Install it in your project: npm install --save-dev @example/not-installed-models@~1.0.0',
    ]);
  } finally {
    delete CRD_MODELS['example.com'];
  }
});

test('the prometheus-operator models are a devDependency in the range the harness names', () => {
  const ours = require('../../package.json');
  expect(ours.devDependencies['@kubernetes-models/prometheus-operator']).toBe(CRD_MODELS['monitoring.coreos.com'].range);
  expect(ours.dependencies?.['@kubernetes-models/prometheus-operator']).toBeUndefined();
  expect(ours.peerDependencies?.['@kubernetes-models/prometheus-operator']).toBeUndefined();
});
