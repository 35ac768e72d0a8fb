/**
 * Every synthesized example (dist/*.k8s.yaml) applied the way a user would: server-side apply with
 * strict field validation, into namespaces labelled with the Pod Security level each workload
 * claims; then the controllers create the pods and admission must accept every one.
 */
import { apply, events, example, objectCount, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { ds, jobCondition, pods, podSummary, selectorOf, sts, waitJobComplete } from './harness/objects';
import { waitFor } from './harness/wait';

const EXAMPLES = ['databases', 'backups', 'migrations', 'node-agents', 'batch-jobs'];

describeCluster('the synthesized examples on a real API server', () => {
  beforeAll(async () => {
    // the databases, backups and migrations charts put everything into namespace "shop"; the batch
    // chart sets no namespace (we apply it into "batch"); the node-agents chart ships its namespaces.
    await podSecurityNamespace('shop', 'restricted');
    await podSecurityNamespace('batch', 'restricted');
  });

  test.each(EXAMPLES)('dist/%s.k8s.yaml: every object accepted by server-side apply with --validate=strict, no warning', async (name) => {
    const yaml = example(name);
    const r = await apply(yaml, name === 'batch-jobs' ? ['-n', 'batch'] : []);
    expect(r.stderr).not.toMatch(/error|Warning/i);
    expect(r.code).toBe(0);
    const applied = r.stdout.split('\n').filter((l) => l.endsWith(' serverside-applied'));
    expect(applied).toHaveLength(objectCount(yaml));
  });

  test('the node-agent namespaces claim the privileged level (hostPath, hostNetwork, hostPID); ours are restricted', async () => {
    for (const ns of ['logging', 'monitoring']) {
      const labels = (await cluster().api.get(`/api/v1/namespaces/${ns}`)).metadata.labels;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    }
    for (const ns of ['shop', 'batch']) {
      expect((await cluster().api.get(`/api/v1/namespaces/${ns}`)).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  test('the controllers create every pod: StatefulSets ready, DaemonSets on every eligible node, Jobs complete', async () => {
    for (const name of ['orders-db', 'shop-db', 'cache']) {
      await waitFor(`StatefulSet shop/${name} ready`, 240_000, async () => {
        const s = await sts('shop', name);
        return { done: s.status?.readyReplicas === s.spec.replicas, state: JSON.stringify(s.status) };
      }, 1000);
    }
    for (const [ns, name] of [['logging', 'fluent-bit'], ['monitoring', 'node-exporter']]) {
      await waitFor(`DaemonSet ${ns}/${name} ready`, 120_000, async () => {
        const d = await ds(ns, name);
        const st = d.status ?? {};
        return { done: st.desiredNumberScheduled >= 4 && st.numberReady === st.desiredNumberScheduled, state: JSON.stringify(st) };
      }, 1000);
    }
    for (const name of ['monthly-report', 'render-thumbnails', 'email-workers', 'reindex']) await waitJobComplete('batch', name, 240_000);
    await waitJobComplete('shop', 'orders-migrate');
    // RestoreJob is suspended by default: no pod until someone unsuspends it
    const restore = await cluster().api.get('/apis/batch/v1/namespaces/shop/jobs/orders-restore');
    expect(jobCondition(restore, 'Suspended')).toBe(true);
    expect(await pods('shop', selectorOf({ 'job-name': 'orders-restore' }))).toEqual([]);
  });

  test('admission accepted every pod the controllers created: no FailedCreate event in the examples\' namespaces', async () => {
    // (bad-input.test.ts shows that a pod PodSecurity refuses does produce FailedCreate events)
    for (const ns of ['shop', 'batch', 'logging', 'monitoring']) expect(await events('FailedCreate', ns)).toEqual([]);
    // and the pods in the restricted namespaces exist and were admitted under "restricted"
    const shopPods = await pods('shop');
    expect(shopPods.map(podSummary).filter((p) => p.startsWith('orders-db-'))).toHaveLength(3);
  });
});
