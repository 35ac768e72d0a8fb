/** examples/services.ts synthesizes valid manifests that pass the restricted Pod Security Standard. */
import { App, Chart, Testing } from 'cdk8s';
import { servicesExamples } from '../../examples/services';
import { findManifest, synthValid } from '../../lib/testing/validate';

test('the services example chart is valid, restricted, and references its Secrets by name only', () => {
  const app = Testing.app() as App;
  servicesExamples(app);
  const chart = app.node.findChild('services') as Chart;
  const manifests = synthValid(chart, { production: true, restricted: true });
  expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  const pipeline: string = findManifest(manifests, 'ConfigMap', 'logstash-pipeline').data['logstash.conf'];
  expect(pipeline).toContain('index                       => "kubernetes-%{+YYYY.MM.dd}"');
  expect(findManifest(manifests, 'HorizontalPodAutoscaler', 'logstash').spec.maxReplicas).toBe(6);
  expect(findManifest(manifests, 'Deployment', 'logstash').spec).not.toHaveProperty('replicas');
  expect(findManifest(manifests, 'Deployment', 'log-viewer').spec.replicas).toBe(2);
  expect(findManifest(manifests, 'NetworkPolicy', 'logstash').spec.ingress[0].from).toContainEqual({
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } },
  });
});
