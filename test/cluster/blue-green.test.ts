/**
 * The blue-green example (dist/blue-green.k8s.yaml, moved to namespace "bg-e2e") on the real
 * control plane: the client Service's EndpointSlices hold blue's primary only, the migration Jobs
 * stay suspended (no pod), and after the flip (the example synthesized with active GREEN and
 * applied) they hold green's primary only.
 */
import { App } from 'cdk8s';
import { blueGreenExamples } from '../../examples/blue-green';
import { BlueGreenColor } from '../../lib';
import { example, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { job, pods, waitStatefulSetReady } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'bg-e2e';
const JOBS = ['orders-pg-blue-to-green-replicate', 'orders-pg-blue-to-green-cutover', 'orders-pg-blue-to-green-smoke-check', 'orders-pg-unfreeze-blue', 'orders-pg-unfreeze-green'];

async function endpoints(service: string): Promise<string[]> {
  const slices = await cluster().api.list(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, `kubernetes.io/service-name=${service}`);
  return slices.flatMap((s) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready === true).map((e: any) => e.targetRef?.name)).sort();
}

describeCluster('blue-green example on a real control plane', () => {
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
    await mustApply(example('blue-green', { from: 'shop', to: NS }));
    for (const name of ['orders-pg15', 'orders-pg16']) await waitStatefulSetReady(NS, name, 240_000);
  }, 300_000);

  test('the client Service selects blue\'s primary only; the migration Jobs are suspended and start no pod', async () => {
    await waitFor('orders-postgres endpoints on orders-pg15-0', 60_000, async () => { const e = JSON.stringify(await endpoints('orders-postgres')); return { done: e === '["orders-pg15-0"]', state: e }; });
    for (const name of JOBS) expect((await job(NS, name)).spec.suspend).toBe(true);
    expect((await pods(NS, 'app.kubernetes.io/name=postgresql-migration')).length).toBe(0);
  });

  test('flip active to GREEN and apply: the endpoints move to green\'s primary only', async () => {
    const app = new App({ outdir: '/tmp/unused' });
    blueGreenExamples(app, BlueGreenColor.GREEN);
    const yaml = app.synthYaml().replace(/^(\s*namespace: )shop$/gm, `$1${NS}`);
    await mustApply(yaml);
    await waitFor('orders-postgres endpoints on orders-pg16-0', 60_000, async () => { const e = JSON.stringify(await endpoints('orders-postgres')); return { done: e === '["orders-pg16-0"]', state: e }; });
    expect((await job(NS, 'orders-pg-green-to-blue-cutover')).spec.suspend).toBe(true);
  });
});
