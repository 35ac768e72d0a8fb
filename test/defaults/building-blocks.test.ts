/** The public building blocks (the classes jsii languages reach) compose a restricted, production-grade workload. */
import * as kplus from 'cdk8s-plus-27';
import { Testing } from 'cdk8s';
import { DisruptionBudget, Labels, NetworkPeer, Policies, ResourcePreset, Resources, Security } from '../../lib';
import { findManifest, synthValid } from '../../lib/testing/validate';

const identity = { name: 'api', instance: 'shop-api', component: 'server' };

test('a Deployment built from the building blocks passes the schema, restricted PSS and production checks', () => {
  const chart = Testing.chart();
  const user = { uid: 10001, gid: 10001 };
  const deployment = new kplus.Deployment(chart, 'api', {
    metadata: { name: 'shop-api' }, replicas: 2, select: false,
    securityContext: Security.restrictedPod(user), automountServiceAccountToken: false,
  });
  const container = deployment.addContainer(Security.productionContainer(chart, user, {
    name: 'api', image: 'example.com/api:1.2.3', portNumber: 8080, resources: Resources.preset(ResourcePreset.SMALL),
  }));
  Security.mountWritablePaths(chart, [container], [{ path: '/tmp', volumeName: 'tmp' }]);
  Security.completeRestrictedPod(deployment);
  const selector = Labels.selector(identity);
  Labels.applyStableSelector(deployment, selector);
  Policies.spreadAcrossNodesAndZones(deployment, selector);
  Policies.disruptionBudget(chart, 'pdb', { name: 'shop-api', replicas: 2, selectorLabels: selector, budget: DisruptionBudget.maxUnavailable(1) });
  Policies.networkPolicy(chart, 'policy', { name: 'shop-api', selectorLabels: selector, ingress: [{ peers: [NetworkPeer.pods({ role: 'frontend' })], ports: [8080] }] });

  const manifests = synthValid(chart, { restricted: true, production: true });
  const pod = findManifest(manifests, 'Deployment', 'shop-api').spec.template;
  expect(pod.metadata.labels).toMatchObject(selector);
  expect(pod.spec.securityContext).toMatchObject({ runAsUser: 10001, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  expect(findManifest(manifests, 'PodDisruptionBudget', 'shop-api').spec.maxUnavailable).toBe(1);
  expect(Labels.recommended(identity)).toEqual({ ...selector, 'app.kubernetes.io/part-of': 'shop-api', 'app.kubernetes.io/managed-by': Labels.MANAGED_BY });
});

test('Resources.fromValues and the errors of the building blocks', () => {
  expect(Resources.fromValues(100, 200, 128, 256).memory?.limit?.toMebibytes()).toBe(256);
  const chart = Testing.chart();
  expect(() => Security.productionContainer(chart, { uid: 1, gid: 1 }, { image: 'nginx' })).toThrow(/image has no tag \(got "nginx"\)/);
  expect(() => Security.productionContainer(chart, { uid: 1, gid: 1 }, { image: 'nginx:1.27' })).toThrow(/resources must set both cpu and memory/);
  expect(() => Policies.disruptionBudget(chart, 'pdb', { replicas: 1, selectorLabels: {}, budget: DisruptionBudget.minAvailable(1) })).toThrow(/would block every node drain with 1 replica/);
});
