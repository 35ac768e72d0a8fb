/**
 * The log pipeline of dist/log-pipeline*.k8s.yaml on the real control plane: the collector in
 * its privileged namespace (emitted with the example), Logstash and Elasticsearch in a namespace
 * that enforces restricted. The real scheduler, StatefulSet/Deployment/DaemonSet and
 * EndpointSlice controllers run; kwok plays the kubelet (it marks scheduled pods ready).
 */
import { example, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { CONTROL_PLANE, WORKERS } from './harness/nodes';
import { ds, get, isReady, pods, podSummary, selectorOf, waitStatefulSetReady } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'observability';
const COLLECTOR_NS = 'log-agents';

async function readyEndpoints(ns: string, service: string): Promise<{ pods: string[]; ports: Record<string, number> }> {
  const slices = await cluster().api.list(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, `kubernetes.io/service-name=${service}`);
  const endpoints = slices.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready === true);
  const ports = Object.fromEntries(slices.flatMap((s) => s.ports ?? []).map((p: any) => [p.name, p.port]));
  return { pods: endpoints.map((e: any) => e.targetRef?.name).sort(), ports };
}

async function waitEndpoints(ns: string, service: string, expected: string[]): Promise<{ pods: string[]; ports: Record<string, number> }> {
  return waitFor(`${ns}/${service} endpoints ${expected.join(',')}`, 120_000, async () => {
    const e = await readyEndpoints(ns, service);
    return { done: JSON.stringify(e.pods) === JSON.stringify([...expected].sort()), state: JSON.stringify(e), value: e };
  }, 500);
}

const secret = (name: string, data: Record<string, string>) => cluster().api.post(`/api/v1/namespaces/${NS}/secrets`, {
  apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: data,
});

describeCluster('the log pipeline example: collector -> Logstash -> Elasticsearch', () => {
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
    // The Secrets the manifests reference by name (test values).
    await secret('logs-es-credentials', { 'username': 'elastic', 'elastic-password': 'not-a-real-password' });
    await secret('logs-es-certs', { 'ca.crt': 'test', 'tls.crt': 'test', 'tls.key': 'test' });
    // mustApply fails on any warning: a pod template the namespace's level rejects warns here.
    await mustApply(example('log-pipeline-collector'));
    await mustApply(example('log-pipeline'));
  }, 240_000);

  test('the collector namespace is privileged and the collector runs on every node, the control plane included', async () => {
    const ns = await get(`/api/v1/namespaces/${COLLECTOR_NS}`);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const expected = [...WORKERS, CONTROL_PLANE].sort();
    await waitFor('logs-collector ready on every node', 120_000, async () => {
      const d = await ds(COLLECTOR_NS, 'logs-collector');
      const ready = (await pods(COLLECTOR_NS, selectorOf(d.spec.selector.matchLabels))).filter(isReady).map((p) => p.spec.nodeName).sort();
      return { done: JSON.stringify(ready) === JSON.stringify(expected) && d.status.numberReady === expected.length, state: `ready on ${ready.join(',')}; ${JSON.stringify(d.status)}` };
    }, 500);
  });

  test('Elasticsearch: the StatefulSet reaches Ready with Parallel pod management, one node per worker', async () => {
    const s = await waitStatefulSetReady(NS, 'logs-es');
    expect(s.spec.podManagementPolicy).toBe('Parallel');
    const list = await pods(NS, selectorOf(s.spec.selector.matchLabels));
    expect(list.map((p) => p.spec.nodeName).sort()).toEqual([...WORKERS].sort());
    // Parallel: the three pods were created together, not each after the previous was Ready.
    const createdAt = list.map((p) => Date.parse(p.metadata.creationTimestamp));
    const firstReady = Math.min(...list.map((p) => Date.parse(p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime)));
    expect(Math.max(...createdAt)).toBeLessThanOrEqual(firstReady);
    const claims = await cluster().api.list(`/api/v1/namespaces/${NS}/persistentvolumeclaims`);
    expect(claims.filter((c) => c.metadata.name.startsWith('data-logs-es-')).map((c) => c.status.phase)).toEqual(['Bound', 'Bound', 'Bound']);
  }, 240_000);

  test('Logstash: 2 ready pods, scheduled on kwok nodes', async () => {
    const d = await waitFor('Deployment logs-logstash ready', 180_000, async () => {
      const dep = await get(`/apis/apps/v1/namespaces/${NS}/deployments/logs-logstash`);
      const list = await pods(NS, selectorOf(dep.spec.selector.matchLabels));
      return { done: dep.status?.readyReplicas === 2, state: `${JSON.stringify(dep.status)} ${list.map(podSummary).join(' ')}`, value: dep };
    }, 500);
    const list = await pods(NS, selectorOf(d.spec.selector.matchLabels));
    expect(list.every((p) => WORKERS.includes(p.spec.nodeName))).toBe(true);
  }, 240_000);

  test('Services have the expected endpoints and ports', async () => {
    const esPods = ['logs-es-0', 'logs-es-1', 'logs-es-2'];
    expect((await waitEndpoints(NS, 'logs-es', esPods)).ports).toEqual({ http: 9200 });
    const headless = await waitEndpoints(NS, 'logs-es-hl', esPods);
    expect(headless.ports).toEqual({ http: 9200, transport: 9300 });
    const logstashPods = (await pods(NS, 'app.kubernetes.io/instance=logs-logstash')).map((p) => p.metadata.name);
    expect(logstashPods).toHaveLength(2);
    expect((await waitEndpoints(NS, 'logs-logstash', logstashPods)).ports).toEqual({ 'http-input': 8080 });
  }, 240_000);

  test('no pod is left Pending in either namespace', async () => {
    for (const ns of [NS, COLLECTOR_NS]) {
      const list = await pods(ns);
      expect(list.filter((p) => !p.spec.nodeName).map(podSummary)).toEqual([]);
    }
  });

  test('the API server accepted both NetworkPolicies as generated (Logstash admits the collector namespace only)', async () => {
    const np = await get(`/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies/logs-logstash`);
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': COLLECTOR_NS } }, podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/instance': 'logs-collector' }) } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    const ns = await get(`/api/v1/namespaces/${COLLECTOR_NS}`);
    expect(ns.metadata.labels['kubernetes.io/metadata.name']).toBe(COLLECTOR_NS);
  });
});
