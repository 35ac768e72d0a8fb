/** StatelessWorkload: a Deployment with the library's production defaults. */
import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { Capacity, DisruptionBudget, Errors, NetworkPeer, ProbeHandler, ResourcePreset, StatelessWorkload, StatelessWorkloadProps } from '../../lib';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../lib/defaults/rollout';

const BASE: StatelessWorkloadProps = { image: 'nginxinc/nginx-unprivileged:1.27.3', user: { uid: 101, gid: 101 }, ports: [{ name: 'http', port: 8080 }] };

function build(props: Partial<StatelessWorkloadProps> = {}, namespace = 'apps') {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const web = new StatelessWorkload(chart, 'web', { ...BASE, ...props });
  return { chart, web };
}

function synth(props: Partial<StatelessWorkloadProps> = {}) {
  const { chart, web } = build(props);
  const manifests = synthValid(chart, { production: true, restricted: true });
  const deployment = findManifest(manifests, 'Deployment', 'web');
  const pod: Manifest = deployment.spec.template.spec;
  return { web, chart, manifests, deployment, pod, container: pod.containers[0] as Manifest };
}

const SELECTOR = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'server' };

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

describe('defaults', () => {
  test('2 replicas, rolling update that never goes below them, pinned image pulled IfNotPresent', () => {
    const { deployment, container } = synth();
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(container.image).toBe(BASE.image);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('resources from the SMALL preset; a preset or explicit resources can replace it', () => {
    expect(synth().container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(synth({ resourcePreset: ResourcePreset.MEDIUM }).container.resources.limits).toEqual({ cpu: '1000m', memory: '2048Mi' });
  });

  test('restricted security context, read-only root with /tmp writable, seccomp, no token, no service links', () => {
    const { pod, container } = synth();
    expect(container.securityContext).toEqual({
      runAsUser: 101, runAsGroup: 101, runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { medium: '' } }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  test('TCP probes on the first port with explicit timings; custom handlers and timings', () => {
    const { container } = synth();
    expect(container.readinessProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(container.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 }, periodSeconds: 20 });
    expect(container.startupProbe).toMatchObject({ tcpSocket: { port: 8080 }, failureThreshold: 24 });
    const custom = synth({ probes: { readiness: ProbeHandler.http('/ready', 8080), liveness: ProbeHandler.http('/live', 8080), timings: { startup: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 60 } } } }).container;
    expect(custom.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTP' });
    expect(custom.livenessProbe.httpGet.path).toBe('/live');
    expect(custom.startupProbe).toMatchObject({ httpGet: { path: '/live' }, failureThreshold: 60 });
  });

  test('no ports: no Service, no probes, a NetworkPolicy that admits nothing', () => {
    const { manifests, container, web } = synth({ ports: [] });
    expect(manifests.filter((m) => m.kind === 'Service')).toEqual([]);
    expect(container.readinessProbe).toBeUndefined();
    expect(findManifest(manifests, 'NetworkPolicy', 'web').spec.ingress).toEqual([]);
    expect(web.service).toBeUndefined();
  });

  test('the Service selects the pods by the stable labels only, with named ports', () => {
    const { manifests, deployment, web } = synth();
    const service = findManifest(manifests, 'Service', 'web');
    expect(service.spec.selector).toEqual(SELECTOR);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(deployment.spec.selector.matchLabels).toEqual(SELECTOR);
    expect(deployment.spec.template.metadata.labels).toEqual(SELECTOR);
    expect(web.host).toBe('web.apps.svc.cluster.local');
    expect(synth({ clusterDomain: 'corp.example' }).web.host).toBe('web.apps.svc.corp.example');
  });

  test('soft spread over nodes and zones', () => {
    const { pod } = synth();
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: SELECTOR } });
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } }]);
  });

  test('a PodDisruptionBudget for 2 pods or more, none for 1', () => {
    expect(findManifest(synth().manifests, 'PodDisruptionBudget', 'web').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
    expect(findManifest(synth({ replicas: 4, disruptionBudget: DisruptionBudget.minAvailable(3) }).manifests, 'PodDisruptionBudget', 'web').spec.minAvailable).toBe(3);
    const single = synth({ replicas: 1 });
    expect(single.manifests.filter((m) => m.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(single.web.podDisruptionBudget).toBeUndefined();
  });

  test('the NetworkPolicy admits labelled clients and allowFrom peers on the exposed ports only', () => {
    const { manifests, web } = synth({ allowFrom: [NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'ingress' })], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090, expose: false }] });
    const policy = findManifest(manifests, 'NetworkPolicy', 'web');
    expect(policy.spec.podSelector.matchLabels).toEqual(SELECTOR);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'web' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(findManifest(manifests, 'Service', 'web').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(web.clientPodLabels()).toEqual({ 'cdk8s-workloads.io/client-of': 'web' });
  });

  test('allowedClients: the NetworkPolicy admits exactly those peers, on the exposed ports only', () => {
    const collector = NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' });
    const office = NetworkPeer.cidr('10.20.0.0/16');
    const { manifests, web } = synth({ allowedClients: [collector, office], ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9000 }, { name: 'metrics', port: 9090, expose: false }] });
    const policy = findManifest(manifests, 'NetworkPolicy', 'web');
    expect(policy.spec.podSelector.matchLabels).toEqual(SELECTOR);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([{
      from: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } },
        { ipBlock: { cidr: '10.20.0.0/16' } },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9000 }],
    }]);
    // The default labels still exist (clientPodLabels), but they open nothing.
    expect(web.clientPodLabels()).toEqual({ 'cdk8s-workloads.io/client-of': 'web' });
  });

  test('without allowedClients the NetworkPolicy is the default: the client labels in the own namespace', () => {
    expect(findManifest(synth().manifests, 'NetworkPolicy', 'web').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('every object carries the recommended labels', () => {
    for (const m of synth({ autoscaling: { minReplicas: 2, maxReplicas: 4 } }).manifests) {
      expect(m.metadata.labels).toEqual({ ...SELECTOR, 'app.kubernetes.io/part-of': 'web', 'app.kubernetes.io/managed-by': 'cdk8s-workloads' });
    }
  });
});

describe('autoscaling', () => {
  test('an HPA on CPU, and no replicas on the Deployment (kubectl apply would fight the autoscaler)', () => {
    const { manifests, deployment, web } = synth({ autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilizationPercent: 60 } });
    expect(deployment.spec).not.toHaveProperty('replicas');
    const hpa = findManifest(manifests, 'HorizontalPodAutoscaler', 'web');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    expect(findManifest(manifests, 'PodDisruptionBudget', 'web').spec.maxUnavailable).toBe(1);
    expect(web.replicas).toBe(3);
    expect(web.horizontalPodAutoscaler).toBeDefined();
  });

  test('cpu target defaults to 70%', () => {
    expect(findManifest(synth({ autoscaling: { minReplicas: 1, maxReplicas: 3 } }).manifests, 'HorizontalPodAutoscaler', 'web').spec.metrics[0].resource.target.averageUtilization).toBe(70);
  });
});

describe('config checksum', () => {
  test('a ConfigMap in the workload puts a checksum on the pod template that follows its data', () => {
    const checksum = (value: string) => {
      const { chart, web } = build();
      const cm = new kplus.ConfigMap(web, 'config', { metadata: { name: 'web-config' }, data: { 'app.yaml': value } });
      web.container.mount('/etc/app', kplus.Volume.fromConfigMap(web, 'config-volume', cm), { readOnly: true });
      return findManifest(synthValid(chart, { production: true, restricted: true }), 'Deployment', 'web').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    };
    expect(checksum('a: 1')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('a: 1')).toBe(checksum('a: 1'));
    expect(checksum('a: 2')).not.toBe(checksum('a: 1'));
    expect(synth().deployment.spec.template.metadata.annotations).toBeUndefined();
  });
});

test('escape hatch: ApiObject.of(workload) is the Deployment', () => {
  const { chart, web } = build();
  ApiObject.of(web).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
  expect(findManifest(synthValid(chart), 'Deployment', 'web').spec.revisionHistoryLimit).toBe(3);
});

describe('errors', () => {
  const attempt = (props: Partial<StatelessWorkloadProps> | Record<string, unknown>) => () => build(props as Partial<StatelessWorkloadProps>);

  test('unknown prop, with a suggestion', () => {
    expect(attempt({ replica: 3 })).toThrow(/test\/web: replica is not a prop of StatelessWorkloadProps \(got 3\)\. Did you mean `replicas`\?/);
  });
  test('image missing', () => {
    expect(() => new StatelessWorkload(new Chart(Testing.app(), 't'), 'web', { user: { uid: 1, gid: 1 } } as StatelessWorkloadProps)).toThrow(/web: image is required \(got nothing\)/);
  });
  test('unpinned image', () => {
    expect(attempt({ image: 'nginx:latest' })).toThrow(/image uses the "latest" tag/);
  });
  test('user missing', () => {
    expect(attempt({ user: undefined })).toThrow(/user is required .*numeric user/);
  });
  test('root user', () => {
    expect(attempt({ user: { uid: 0, gid: 0 } })).toThrow(/user.uid must not be 0/);
  });
  test('replicas below 1', () => {
    expect(attempt({ replicas: 0 })).toThrow(/replicas must be an integer >= 1 \(got 0\)/);
  });
  test('replicas of the wrong type', () => {
    expect(attempt({ replicas: '3' })).toThrow(/replicas must be a number \(got "3"\)/);
  });
  test('replicas and autoscaling together', () => {
    const error = (() => { try { build({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } }); } catch (e) { return e; } return undefined; })();
    expect(Errors.isConflictingPropsError(error)).toBe(true);
    expect((error as Error).message).toMatch(/replicas \(2\) and autoscaling are both set/);
  });
  test('resources and resourcePreset together', () => {
    expect(attempt({ resourcePreset: ResourcePreset.NANO, resources: { cpu: { request: kplus.Cpu.millis(1) }, memory: { request: Size.mebibytes(1) } } })).toThrow(/resources and resourcePreset \(nano\) are both set/);
  });
  test('autoscaling max below min', () => {
    expect(attempt({ autoscaling: { minReplicas: 3, maxReplicas: 2 } })).toThrow(/autoscaling.maxReplicas must be at least minReplicas \(3\) \(got 2\)/);
  });
  test('autoscaling unknown key', () => {
    expect(attempt({ autoscaling: { minReplicas: 1, maxReplicas: 2, cpu: 50 } as never })).toThrow(/cpu is not a prop of AutoscalingOptions/);
  });
  test('autoscaling utilization below 1', () => {
    expect(attempt({ autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilizationPercent: 0 } })).toThrow(/autoscaling.cpuUtilizationPercent must be an integer >= 1/);
  });
  test('disruption budget on a single pod', () => {
    expect(attempt({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(1) })).toThrow(/disruptionBudget is set \(maxUnavailable: 1\) but the workload runs 1 pod/);
  });
  test('disruption budget that blocks drains', () => {
    expect(attempt({ disruptionBudget: DisruptionBudget.minAvailable(2) })).toThrow(/disruptionBudget would block every node drain with 2 replica\(s\)/);
  });
  test('port name too long', () => {
    expect(attempt({ ports: [{ name: 'a-very-long-port-name', port: 80 }] })).toThrow(/ports\[0\].name is 21 characters long/);
  });
  test('port out of range', () => {
    expect(attempt({ ports: [{ name: 'http', port: 70000 }] })).toThrow(/ports\[0\].port must be an integer in 1-65535 \(got 70000\)/);
  });
  test('duplicate port', () => {
    expect(attempt({ ports: [{ name: 'http', port: 80 }, { name: 'web', port: 80 }] })).toThrow(/ports\[1\] repeats port 80 of another port/);
  });
  test('name that cannot name a Service', () => {
    expect(attempt({ name: '1web' })).toThrow(/name must start with a letter .*\(it also names the Service\)/);
  });
  test('probe handler of the wrong type', () => {
    expect(attempt({ probes: { readiness: '/healthz' as never } })).toThrow(/probes.readiness must be a ProbeHandler/);
  });
  test('probe timeout not below the period', () => {
    expect(attempt({ probes: { readiness: ProbeHandler.tcp(8080), timings: { readiness: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 } } } })).toThrow(/probes.timings.readiness.timeoutSeconds must be below periodSeconds \(5\)/);
  });
  test('fractional grace period', () => {
    expect(attempt({ terminationGracePeriod: Duration.millis(1500) })).toThrow(/terminationGracePeriod must be a whole number of seconds/);
  });
  test('label value that Kubernetes rejects', () => {
    expect(attempt({ component: 'Not Valid!' })).toThrow(/component must be alphanumeric.*\(it is a label value\)/);
  });
  test('command that is not a list of strings', () => {
    expect(attempt({ command: 'nginx -g daemon off;' as never })).toThrow(/command must be an array of strings/);
  });
  test('writable path not absolute', () => {
    expect(attempt({ writablePaths: [{ path: 'cache', volumeName: 'cache' }] })).toThrow(/writablePaths\[0\].path must be an absolute path/);
  });
  test('cluster domain that is not a DNS name', () => {
    expect(attempt({ clusterDomain: 'Cluster Local' })).toThrow(/clusterDomain must be lowercase alphanumeric/);
  });
  test('allowedClients empty (a rule without peers admits everyone)', () => {
    expect(attempt({ allowedClients: [] })).toThrow(/test\/web: allowedClients must list at least one peer: a NetworkPolicy rule without peers admits every source.* \(got \[\]\)\. List the clients, e.g\. allowedClients: \[NetworkPeer\.pods/);
  });
  test('allowedClients not an array', () => {
    expect(attempt({ allowedClients: NetworkPeer.cidr('10.0.0.0/8') as never })).toThrow(/test\/web: allowedClients must be an array of NetworkPeer \(got \{"peer":\{"ipBlock":\{"cidr":"10\.0\.0\.0\/8"\}\}\}\)\. Pass e\.g\. allowedClients: \[NetworkPeer\.pods/);
  });
  test('allowedClients entry that is not a NetworkPeer (also allowFrom)', () => {
    const plain = { podSelector: { matchLabels: { app: 'frontend' } } };
    expect(attempt({ allowedClients: [NetworkPeer.cidr('10.0.0.0/8'), plain as never] })).toThrow(/test\/web: allowedClients\[1\] must be a NetworkPeer \(got \{"podSelector":\{"matchLabels":\{"app":"frontend"\}\}\}\)\. Build it with NetworkPeer\.pods/);
    expect(attempt({ allowFrom: [plain as never] })).toThrow(/test\/web: allowFrom\[0\] must be a NetworkPeer/);
  });
  test('allowedClients with clientLabels, with allowFrom, and without an exposed port: one error listing all three', () => {
    const error = (() => {
      try {
        build({ allowedClients: [NetworkPeer.cidr('10.0.0.0/8')], clientLabels: { role: 'frontend' }, allowFrom: [NetworkPeer.cidr('10.1.0.0/16')], ports: [{ name: 'metrics', port: 9090, expose: false }] });
      } catch (e) { return e; }
      return undefined;
    })();
    expect(Errors.isConflictingPropsError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^test\/web: 3 configuration problem\(s\):/);
    expect(message).toMatch(/allowedClients and clientLabels \(\{"role":"frontend"\}\) are both set: allowedClients replaces the client-label peer.*drop clientLabels, or add NetworkPeer\.pods\(<those labels>\) to allowedClients/);
    expect(message).toMatch(/allowedClients and allowFrom \(1 peer\(s\)\) are both set: allowedClients is the complete list of peers; move the allowFrom peers into allowedClients/);
    expect(message).toMatch(/allowedClients is set but no port is exposed: .*expose a port or drop allowedClients/);
  });
  test('env name invalid', () => {
    expect(attempt({ env: { '1BAD': kplus.EnvValue.fromValue('x') } })).toThrow(/env has a variable name that must consist of letters/);
  });
});

test('the capacity report sizes an autoscaled Deployment for the autoscaler\'s maximum', () => {
  const { chart } = build({ autoscaling: { minReplicas: 2, maxReplicas: 5 } });
  const web = Capacity.of(chart).namespaces[0].workloads.find((w) => w.name === 'web')!;
  expect(web).toMatchObject({ kind: 'Deployment', pods: 5, why: 'up to 5 replicas (HorizontalPodAutoscaler)', cpuRequestMillis: 5 * 250 });
});
