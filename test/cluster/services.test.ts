/**
 * The stateless services of dist/services.k8s.yaml (Logstash autoscaled, a web app) in a
 * namespace that enforces the restricted Pod Security level, driven by the real Deployment,
 * ReplicaSet, HorizontalPodAutoscaler, EndpointSlice and disruption controllers and the
 * scheduler; kwok plays the kubelet.
 */
import { example, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { get, isReady, pods, podSummary, selectorOf } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'logs';
const deployment = (name: string) => get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);

async function waitDeployment(name: string, replicas: number): Promise<any> {
  return waitFor(`Deployment ${NS}/${name} with ${replicas} ready replicas`, 180_000, async () => {
    const d = await deployment(name);
    const list = await pods(NS, selectorOf(d.spec.selector.matchLabels));
    return {
      done: d.spec.replicas === replicas && d.status?.readyReplicas === replicas && d.status?.updatedReplicas === replicas,
      state: `spec.replicas ${d.spec.replicas}; status ${JSON.stringify(d.status)}; pods ${list.map(podSummary).join(' ')}`,
      value: d,
    };
  }, 500);
}

async function readyEndpoints(service: string): Promise<{ pods: string[]; ports: Record<string, number> }> {
  const slices = await cluster().api.list(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, `kubernetes.io/service-name=${service}`);
  const endpoints = slices.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready === true);
  const ports = Object.fromEntries(slices.flatMap((s) => s.ports ?? []).map((p: any) => [p.name, p.port]));
  return { pods: endpoints.map((e: any) => e.targetRef?.name).sort(), ports };
}

const secret = (name: string, data: Record<string, string>) => cluster().api.post(`/api/v1/namespaces/${NS}/secrets`, {
  apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: data,
});

describeCluster('Deployments of the example services (restricted namespace)', () => {
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
    // The Secrets the manifests reference by name exist before the pods (test values).
    await secret('logstash-es-credentials', { username: 'logstash', password: 'not-a-real-password' });
    await secret('elasticsearch-ca', { 'ca.crt': 'test' });
    await secret('logstash-tls', { 'tls.crt': 'test', 'tls.key': 'test' });
    await secret('logstash-input-auth', { username: 'fluent-bit', password: 'not-a-real-password' });
    // mustApply fails on any warning: a pod template the restricted level rejects warns here.
    await mustApply(example('services'));
  }, 240_000);

  test('the web app: 2 ready pods from the manifest\'s replicas, both behind its Service', async () => {
    const d = await waitDeployment('log-viewer', 2);
    await waitFor('log-viewer endpoints', 60_000, async () => {
      const e = await readyEndpoints('log-viewer');
      return { done: e.pods.length === 2, state: JSON.stringify(e) };
    }, 500);
    expect((await readyEndpoints('log-viewer')).ports).toEqual({ http: 8080 });
    expect(d.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('Logstash: no replicas in the manifest; the HorizontalPodAutoscaler raises it to minReplicas 2', async () => {
    const hpa = await get(`/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/logstash`);
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: 'Deployment', name: 'logstash' } });
    // The API server defaults a missing replicas to 1; only the autoscaler can make it 2.
    await waitDeployment('logstash', 2);
    const e = await waitFor('logstash endpoints', 60_000, async () => {
      const found = await readyEndpoints('logstash');
      return { done: found.pods.length === 2, state: JSON.stringify(found), value: found };
    }, 500);
    expect(e.ports).toEqual({ 'beats': 5044, 'http-input': 8080 });
  });

  test('re-applying the manifest does not reset the count the autoscaler chose', async () => {
    // What the autoscaler does when load rises: it writes the scale subresource.
    await cluster().api.patch(`/apis/apps/v1/namespaces/${NS}/deployments/logstash/scale`, { spec: { replicas: 3 } }, 'merge');
    await waitDeployment('logstash', 3);
    await mustApply(example('services'));
    expect((await deployment('logstash')).spec.replicas).toBe(3);
  });

  test('the PodDisruptionBudgets count the ready pods and allow one eviction each', async () => {
    for (const name of ['logstash', 'log-viewer']) {
      await waitFor(`PDB ${name} allows 1 disruption`, 60_000, async () => {
        const pdb = await get(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/${name}`);
        return { done: pdb.status?.disruptionsAllowed === 1 && pdb.status?.expectedPods >= 2, state: JSON.stringify(pdb.status) };
      }, 500);
    }
  });

  test('every pod runs as its non-root uid with a read-only root filesystem', async () => {
    const list = await pods(NS);
    expect(list.length).toBeGreaterThanOrEqual(5);
    for (const p of list.filter(isReady)) {
      const c = p.spec.containers[0];
      expect({ pod: p.metadata.name, nonRoot: p.spec.securityContext.runAsNonRoot, ro: c.securityContext.readOnlyRootFilesystem, uid: c.securityContext.runAsUser > 0 })
        .toEqual({ pod: p.metadata.name, nonRoot: true, ro: true, uid: true });
    }
  });
});
