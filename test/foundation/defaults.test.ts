import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as d from '../../lib/defaults';
import { testing } from '../../lib';

const ID = { name: 'postgresql', instance: 'orders-db', component: 'database' };
const SELECTOR = d.selectorLabels(ID);

describe('labels', () => {
  test('five recommended labels; selectors use three stable ones', () => {
    expect(d.recommendedLabels(ID)).toEqual({
      'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/component': 'database',
      'app.kubernetes.io/part-of': 'orders-db', 'app.kubernetes.io/managed-by': 'cdk8s-workloads',
    });
    expect(Object.keys(SELECTOR)).toEqual(['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component']);
    expect(d.recommendedLabels({ ...ID, partOf: 'shop' })['app.kubernetes.io/part-of']).toBe('shop');
  });
  test('labelAllObjects reaches every ApiObject', () => {
    const chart = Testing.chart();
    new kplus.ConfigMap(chart, 'a');
    new kplus.Secret(chart, 'b');
    d.labelAllObjects(chart, d.recommendedLabels(ID));
    for (const m of Testing.synth(chart)) expect(m.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-workloads');
  });
  test('validateLabels names the prop and the bad key or value', () => {
    const chart = Testing.chart();
    expect(() => d.validateLabels(chart, 'nodeSelector', { disktype: 'ssd!' })).toThrow(/test: nodeSelector\["disktype"\] must be alphanumeric.*\(got "ssd!"\)/);
    expect(() => d.validateLabels(chart, 'nodeSelector', { 'a/b/c': 'x' })).toThrow(/nodeSelector key has more than one "\/"/);
    expect(() => d.validateLabels(chart, 'nodeSelector', { disktype: 'x'.repeat(64) })).toThrow(/64 characters long/);
    expect(() => d.validateLabels(chart, 'nodeSelector', { 'kubernetes.io/os': 'linux' })).not.toThrow();
  });
});

describe('resources', () => {
  test('presets emit explicit requests and limits', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27', resources: d.presetResources(d.ResourcePreset.SMALL) }] });
    const container = Testing.synth(chart)[0].spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });
  test('every preset has request <= limit', () => {
    const chart = Testing.chart();
    for (const preset of Object.values(d.ResourcePreset)) expect(() => d.validateResources(chart, 'resources', d.presetResources(preset))).not.toThrow();
  });
  test('errors: request above limit, missing memory, fractional MiB', () => {
    const chart = Testing.chart();
    expect(() => d.validateResources(chart, 'resources', d.explicitResources(600, 500, 64, 128))).toThrow(/test: resources.cpu has a request above its limit \(got "600m > 500m"\)/);
    expect(() => d.validateResources(chart, 'resources', d.explicitResources(100, 500, 256, 128))).toThrow(/resources.memory has a request above its limit \(got "256Mi > 128Mi"\)/);
    expect(() => d.validateResources(chart, 'resources', { cpu: { request: kplus.Cpu.millis(100) } })).toThrow(/resources must set both cpu and memory.*cdk8s-plus injects/);
    expect(() => d.validateResources(chart, 'resources', { cpu: {}, memory: { request: Size.kibibytes(1500) } })).toThrow(/resources.memory.request must be a whole number of MiB/);
  });
});

describe('security', () => {
  test('restricted container and pod contexts; the result passes the restricted check', () => {
    const chart = Testing.chart();
    const user = { uid: 999, gid: 999 };
    const deployment = new kplus.Deployment(chart, 'd', { ...d.productionPodProps(user), containers: [d.productionContainer(chart, 'container', { image: 'postgres:16', user, resources: d.presetResources(d.ResourcePreset.SMALL) })] });
    d.applyStableSelector(deployment, SELECTOR);
    d.completeRestrictedPod(deployment);
    d.mountWritablePaths(deployment, deployment.containers, [{ path: '/tmp', volumeName: 'tmp' }, { path: '/dev/shm', volumeName: 'shm', inMemory: true }]);
    const [m] = testing.Harness.synthValid(chart, { restricted: true, production: true });
    const pod = m.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { medium: '' } }, { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'shm', mountPath: '/dev/shm' }]);
  });
  test('validateImage: no tag, latest, registry port, digest', () => {
    const chart = Testing.chart();
    expect(() => d.validateImage(chart, 'image', 'postgres')).toThrow(/test: image has no tag \(got "postgres"\). Pin a version/);
    expect(() => d.validateImage(chart, 'image', 'registry:5000/postgres')).toThrow(/has no tag/);
    expect(() => d.validateImage(chart, 'image', 'postgres:latest')).toThrow(/uses the "latest" tag/);
    expect(() => d.validateImage(chart, 'image', 'registry:5000/postgres:16.4')).not.toThrow();
    expect(() => d.validateImage(chart, 'image', 'postgres@sha256:' + 'a'.repeat(64))).not.toThrow();
  });
});

describe('probes', () => {
  test('database roles get different explicit timings', () => {
    const set = d.probeSet(d.PROBE_TIMINGS.database, d.ProbeHandler.exec(['pg_isready']));
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'd', { containers: [{ image: 'postgres:16', startup: set.startup, readiness: set.readiness, liveness: set.liveness }] });
    const c = Testing.synth(chart)[0].spec.template.spec.containers[0];
    expect(c.startupProbe).toEqual({ exec: { command: ['pg_isready'] }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60, successThreshold: 1 });
    expect(c.readinessProbe.failureThreshold).toBe(3);
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 20, failureThreshold: 6 });
    expect(c.readinessProbe).not.toEqual(c.livenessProbe);
  });
  test('http and tcp handlers', () => {
    const chart = Testing.chart();
    const t = d.PROBE_TIMINGS.service.readiness;
    new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27', readiness: d.ProbeHandler.http('/healthz', 8080).toProbe(t), liveness: d.ProbeHandler.tcp(8080).toProbe(t) }] });
    const c = Testing.synth(chart)[0].spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe.tcpSocket).toMatchObject({ port: 8080 });
  });
  test('timing errors', () => {
    const chart = Testing.chart();
    const ok = d.PROBE_TIMINGS.database.liveness;
    expect(() => d.validateProbeTimings(chart, 'liveness', { ...ok, timeoutSeconds: 20 }, 'liveness')).toThrow(/liveness.timeoutSeconds must be below periodSeconds \(20\) \(got 20\)/);
    expect(() => d.validateProbeTimings(chart, 'liveness', { ...ok, failureThreshold: 0 }, 'liveness')).toThrow(/liveness.failureThreshold must be an integer >= 1/);
    expect(() => d.validateProbeTimings(chart, 'liveness', { ...ok, successThreshold: 2 }, 'liveness')).toThrow(/successThreshold must be 1 for a liveness probe/);
    expect(() => d.validateProbeTimings(chart, 'readiness', { ...ok, successThreshold: 2 }, 'readiness')).not.toThrow();
  });
});

describe('disruption budget', () => {
  test('default maxUnavailable 1', () => {
    const chart = Testing.chart();
    d.createDisruptionBudget(chart, 'pdb', { replicas: 3, selectorLabels: SELECTOR });
    expect(Testing.synth(chart)[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
  });
  test('percent budgets render as strings', () => {
    const chart = Testing.chart();
    d.createDisruptionBudget(chart, 'pdb', { replicas: 4, selectorLabels: SELECTOR, budget: d.DisruptionBudget.minAvailablePercent(50) });
    expect(Testing.synth(chart)[0].spec.minAvailable).toBe('50%');
  });
  test('a budget that blocks every drain is an error', () => {
    const chart = Testing.chart();
    expect(() => d.createDisruptionBudget(chart, 'a', { replicas: 3, selectorLabels: SELECTOR, budget: d.DisruptionBudget.minAvailable(3) }))
      .toThrow(/test: disruptionBudget would block every node drain with 3 replica\(s\) \(got "minAvailable: 3"\). Allow at least one eviction.*minAvailable\(2\)/);
    expect(() => d.createDisruptionBudget(chart, 'b', { replicas: 3, selectorLabels: SELECTOR, budget: d.DisruptionBudget.maxUnavailable(0) })).toThrow(/would block every node drain/);
    expect(() => d.createDisruptionBudget(chart, 'c', { replicas: 2, selectorLabels: SELECTOR, budget: d.DisruptionBudget.minAvailablePercent(100) })).toThrow(/would block/);
    expect(() => d.createDisruptionBudget(chart, 'd', { replicas: 2, selectorLabels: SELECTOR, budget: d.DisruptionBudget.maxUnavailablePercent(150) })).toThrow(/must be a whole percentage 0-100/);
  });
});

describe('network policy and spread', () => {
  test('ingress from labelled clients; restricted egress keeps DNS', () => {
    const chart = Testing.chart();
    d.createNetworkPolicy(chart, 'np', {
      selectorLabels: SELECTOR,
      ingress: [{ peers: [d.NetworkPeer.pods({ 'orders-db-client': 'true' })], ports: [5432] }],
      egress: [{ peers: [d.NetworkPeer.pods(SELECTOR)], ports: [5432] }, { peers: [d.NetworkPeer.cidr('10.0.0.0/8')], ports: [443] }],
    });
    const [m] = testing.Harness.synthValid(chart);
    expect(m.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(m.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'orders-db-client': 'true' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(m.spec.egress).toContainEqual({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] });
    expect(m.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });
  test('without egress rules only ingress is restricted', () => {
    const chart = Testing.chart();
    d.createNetworkPolicy(chart, 'np', { selectorLabels: SELECTOR, ingress: [] });
    expect(Testing.synth(chart)[0].spec).toEqual({ podSelector: { matchLabels: SELECTOR }, policyTypes: ['Ingress'], ingress: [] });
  });
  test('spread: soft hostname anti-affinity and zone spread with our labels', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx:1.27' }] });
    d.spreadAcrossNodesAndZones(deployment, SELECTOR);
    const pod = Testing.synth(chart)[0].spec.template.spec;
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: SELECTOR } } }]);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } }]);
  });
});
