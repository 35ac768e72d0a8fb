/**
 * The database StatefulSets of dist/databases.k8s.yaml (moved to namespace "sts-e2e") driven by
 * the real StatefulSet, EndpointSlice and disruption controllers and the scheduler; kwok plays the
 * kubelet (pods go Running, then Ready about a second later).
 */
import { example, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { created, get, isReady, pods, readyTime, selectorOf, sts, waitStatefulSetReady } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'sts-e2e';
const DATABASES = ['orders-db', 'shop-db', 'cache'];

async function sliceEndpoints(service: string): Promise<{ pod: string; ready: boolean }[]> {
  const slices = await cluster().api.list(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, `kubernetes.io/service-name=${service}`);
  return slices.flatMap((s) => (s.endpoints ?? []).map((e: any) => ({ pod: e.targetRef?.name, ready: e.conditions?.ready === true })))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

const pdb = (name: string) => get(`/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/${name}`);

async function setPodReady(name: string, ready: boolean): Promise<void> {
  // what a kubelet reports when a readiness probe starts failing (or passes again)
  await cluster().api.patch(`/api/v1/namespaces/${NS}/pods/${name}/status`,
    { status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }, { type: 'ContainersReady', status: ready ? 'True' : 'False' }] } });
}

describeCluster('StatefulSets of the example databases', () => {
  const specs: Record<string, any> = {};
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
    await mustApply(example('databases', { from: 'shop', to: NS }));
    for (const name of DATABASES) specs[name] = await waitStatefulSetReady(NS, name, 240_000);
  }, 300_000);

  test.each(DATABASES)('%s: readyReplicas = replicas, pods created one at a time in ordinal order (OrderedReady)', async (name) => {
    const s = await sts(NS, name);
    expect(s.spec.podManagementPolicy).toBe('OrderedReady');
    expect(s.status.readyReplicas).toBe(s.spec.replicas);
    const list = (await pods(NS, selectorOf(s.spec.selector.matchLabels))).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    expect(list.map((p) => p.metadata.name)).toEqual([...Array(s.spec.replicas).keys()].map((i) => `${name}-${i}`));
    for (let i = 1; i < list.length; i++) {
      // pod i is created only after pod i-1 is Ready, which takes kwok about a second
      expect(created(list[i])).toBeGreaterThanOrEqual(readyTime(list[i - 1]));
      expect(created(list[i])).toBeGreaterThan(created(list[i - 1]));
    }
  });

  test.each(DATABASES)('%s: one bound claim data-<name>-<i> per pod, with the template\'s size, access modes and class', async (name) => {
    const template = specs[name].spec.volumeClaimTemplates.find((t: any) => t.metadata.name === 'data');
    for (let i = 0; i < specs[name].spec.replicas; i++) {
      const pvc = await get(`/api/v1/namespaces/${NS}/persistentvolumeclaims/data-${name}-${i}`);
      expect(pvc.status.phase).toBe('Bound');
      expect(pvc.spec.resources.requests.storage).toBe(template.spec.resources.requests.storage);
      expect(pvc.spec.accessModes).toEqual(template.spec.accessModes);
      // no class in the template: the DefaultStorageClass admission plugin fills in the default
      expect(pvc.spec.storageClassName).toBe(template.spec.storageClassName ?? 'standard');
      const pod = await get(`/api/v1/namespaces/${NS}/pods/${name}-${i}`);
      expect(pod.spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName).toBe(`data-${name}-${i}`);
    }
  });

  test.each(DATABASES)('%s: the primary Service\'s EndpointSlices hold pod 0 only, the read and headless Services every pod', async (name) => {
    const all = [0, 1, 2].map((i) => ({ pod: `${name}-${i}`, ready: true }));
    await waitFor(`EndpointSlices of ${name}`, 60_000, async () => {
      const state = { primary: await sliceEndpoints(`${name}-primary`), read: await sliceEndpoints(`${name}-read`), hl: await sliceEndpoints(`${name}-hl`) };
      const ok = JSON.stringify(state) === JSON.stringify({ primary: [all[0]], read: all, hl: all });
      return { done: ok, state: JSON.stringify(state) };
    });
  });

  test('a pod that stops being ready: the read Service marks it not ready, the headless Service still publishes it, the budget allows no more disruption', async () => {
    const hl = await get(`/api/v1/namespaces/${NS}/services/cache-hl`);
    expect(hl.spec.publishNotReadyAddresses).toBe(true);
    await waitFor('PDB cache allowing 1 disruption', 60_000, async () => {
      const st = (await pdb('cache')).status;
      return { done: st?.disruptionsAllowed === 1 && st.currentHealthy === 3 && st.expectedPods === 3, state: JSON.stringify(st) };
    });
    await setPodReady('cache-1', false);
    try {
      await waitFor('cache-1 not ready in the read slice, ready (published) in the headless slice, PDB at 0', 60_000, async () => {
        const read = (await sliceEndpoints('cache-read')).find((e) => e.pod === 'cache-1');
        const headless = (await sliceEndpoints('cache-hl')).find((e) => e.pod === 'cache-1');
        const st = (await pdb('cache')).status;
        return {
          done: read?.ready === false && headless?.ready === true && st.disruptionsAllowed === 0 && st.currentHealthy === 2,
          state: JSON.stringify({ read, headless, pdb: st }),
        };
      });
    } finally {
      await setPodReady('cache-1', true);
    }
    await waitFor('PDB cache back at 1 disruption allowed', 60_000, async () => {
      const st = (await pdb('cache')).status;
      return { done: st.disruptionsAllowed === 1, state: JSON.stringify(st) };
    });
    for (const name of ['orders-db', 'shop-db']) expect((await pdb(name)).status.disruptionsAllowed).toBe(1);
  });

  test('a partitioned rolling update (partition 2) updates only ordinals >= 2; partition 0 then updates the rest', async () => {
    const before = await sts(NS, 'cache');
    const oldRevision = before.status.currentRevision;
    await cluster().api.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/cache`, {
      spec: {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        template: { metadata: { annotations: { 'e2e.cdk8s-workloads/rollout': '1' } } },
      },
    });
    const revisions = async () => Object.fromEntries((await pods(NS, selectorOf(before.spec.selector.matchLabels)))
      .map((p) => [p.metadata.name, `${p.metadata.labels['controller-revision-hash']}${isReady(p) ? '' : '(not ready)'}`]));
    const updated = await waitFor('cache-2 on the new revision and ready', 120_000, async () => {
      const s = await sts(NS, 'cache');
      const r = await revisions();
      return {
        done: s.status.updateRevision !== oldRevision && r['cache-2'] === s.status.updateRevision && s.status.readyReplicas === 3,
        state: JSON.stringify({ status: s.status, pods: r }), value: s.status.updateRevision,
      };
    });
    // stays that way: the controller does not touch ordinals below the partition
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await revisions()).toEqual({ 'cache-0': oldRevision, 'cache-1': oldRevision, 'cache-2': updated });
    expect((await sts(NS, 'cache')).status.updatedReplicas).toBe(1);

    await cluster().api.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/cache`, { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await waitFor('every cache pod on the new revision', 120_000, async () => {
      const r = await revisions();
      return { done: Object.values(r).every((v) => v === updated) && Object.keys(r).length === 3, state: JSON.stringify(r) };
    });
  });
});
