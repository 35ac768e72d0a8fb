/**
 * The node agents of dist/node-agents.k8s.yaml (in their own privileged namespaces) driven by the
 * real DaemonSet controller on the fake nodes: 3 workers and a control-plane node tainted
 * NoSchedule; then a fifth node with a taint nobody expects, then a rolling update.
 */
import { example, mustApply } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { fakeNode, CONTROL_PLANE, WORKERS } from './harness/nodes';
import { ds, isReady, pods, podSummary, selectorOf } from './harness/objects';
import { sleep, waitFor } from './harness/wait';

const AGENTS = { 'node-exporter': 'monitoring', 'fluent-bit': 'logging' } as const;
const EXTRA = 'tainted-gpu';

async function agentNodes(name: keyof typeof AGENTS): Promise<string[]> {
  const d = await ds(AGENTS[name], name);
  return (await pods(AGENTS[name], selectorOf(d.spec.selector.matchLabels))).filter(isReady).map((p) => p.spec.nodeName).sort();
}

async function waitAgentNodes(name: keyof typeof AGENTS, expected: string[]): Promise<void> {
  await waitFor(`${name} Ready on exactly ${expected.join(', ')}`, 120_000, async () => {
    const d = await ds(AGENTS[name], name);
    const nodes = await agentNodes(name);
    return {
      done: JSON.stringify(nodes) === JSON.stringify([...expected].sort()) && d.status.desiredNumberScheduled === expected.length,
      state: `ready on ${nodes.join(',')}; status ${JSON.stringify(d.status)}`,
    };
  }, 500);
}

describeCluster('DaemonSets of the example node agents', () => {
  const ALL4 = [...WORKERS, CONTROL_PLANE];
  beforeAll(async () => {
    await mustApply(example('node-agents'));
  });
  afterAll(async () => {
    await cluster().api.delete(`/api/v1/nodes/${EXTRA}`).catch(() => undefined);
  });

  test('node exporter (tolerates every taint) runs on all 4 nodes, the control plane included', async () => {
    await waitAgentNodes('node-exporter', ALL4);
  });

  test('log collector (tolerates the control-plane taints, selects kubernetes.io/os=linux) runs on all 4 nodes', async () => {
    await waitAgentNodes('fluent-bit', ALL4);
  });

  test('a node with an unknown NoSchedule taint gets the node exporter but not the log collector', async () => {
    await cluster().api.post('/api/v1/nodes', fakeNode(EXTRA, {
      zone: 'zone-b', taints: [{ key: 'example.com/dedicated', value: 'gpu', effect: 'NoSchedule' }],
    }));
    await waitAgentNodes('node-exporter', [...ALL4, EXTRA]);
    await sleep(3_000); // give the controller time to (wrongly) place a log collector there
    await waitAgentNodes('fluent-bit', ALL4);
    const fb = await pods('logging');
    expect(fb.filter((p) => p.spec.nodeName === EXTRA).map(podSummary)).toEqual([]);
  });

  test('a RollingUpdate with maxUnavailable 1 replaces the node exporter one node at a time', async () => {
    const d = await ds('monitoring', 'node-exporter');
    expect(d.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(1);
    const nodes = (await agentNodes('node-exporter')).length;
    expect(nodes).toBeGreaterThanOrEqual(4);
    await cluster().api.patch('/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter',
      { spec: { template: { metadata: { annotations: { 'e2e.cdk8s-workloads/rollout': '1' } } } } });
    const selector = selectorOf(d.spec.selector.matchLabels);
    const samples: { missing: number; updated: number }[] = [];
    await waitFor('every node exporter pod replaced and ready', 180_000, async () => {
      const list = await pods('monitoring', selector);
      const readyNodes = new Set(list.filter((p) => isReady(p) && !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName));
      const updated = list.filter((p) => isReady(p) && p.metadata.annotations?.['e2e.cdk8s-workloads/rollout'] === '1').length;
      samples.push({ missing: nodes - readyNodes.size, updated });
      return { done: updated === nodes, state: list.map(podSummary).join(' ') };
    }, 150);
    // never more than one node without a ready exporter, and the update went through stages
    expect(Math.max(...samples.map((s) => s.missing))).toBeLessThanOrEqual(1);
    const stages = new Set(samples.map((s) => s.updated));
    expect(stages.size).toBeGreaterThanOrEqual(Math.min(nodes, 4));
  });
});
