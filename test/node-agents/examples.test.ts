/** examples/node-agents.ts synthesizes valid manifests with the documented objects. */
import { App, Chart, Testing } from 'cdk8s';
import { nodeAgentExamples } from '../../examples/node-agents';
import { findManifest, synthValid } from '../../lib/testing/validate';

test('the node-agents example chart is valid and references the credentials Secret', () => {
  const app = Testing.app() as App;
  nodeAgentExamples(app);
  const chart = app.node.findChild('node-agents') as Chart;
  const manifests = synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/fluent-bit', 'DaemonSet/node-exporter'] });
  expect(findManifest(manifests, 'Namespace', 'logging').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  expect(findManifest(manifests, 'Namespace', 'monitoring').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  const config: string = findManifest(manifests, 'ConfigMap', 'fluent-bit-config').data['fluent-bit.conf'];
  expect(config).toMatch(/^\s+Host\s+elasticsearch\.search\.svc\.cluster\.local$/m);
  const env = findManifest(manifests, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0].env;
  expect(env).toContainEqual({ name: 'ELASTICSEARCH_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-credentials', key: 'password' } } });
  expect(findManifest(manifests, 'DaemonSet', 'node-exporter').metadata.namespace).toBe('monitoring');
  expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
});
