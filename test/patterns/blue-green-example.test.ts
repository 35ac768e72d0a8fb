import { App } from 'cdk8s';
import { blueGreenExamples, SMOKE_CHECK } from '../../examples/blue-green';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { shellcheck } from '../support/run';
import { findManifest } from '../../lib/testing/validate';
import { synthBlueGreen } from './support';

test('the blue-green example: Service on PostgreSQL 15\'s primary, suspended migration Jobs with a sync wave; valid restricted and production', () => {
  const app = new App({ outdir: '/tmp/unused' });
  const bg = blueGreenExamples(app);
  const manifests = synthBlueGreen(app.charts.find((c) => c.node.id === 'blue-green')!);
  expect(findManifest(manifests, 'Service', 'orders-postgres').spec.selector).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'orders-pg15-0' });
  for (const name of ['orders-pg-blue-to-green-replicate', 'orders-pg-blue-to-green-cutover', 'orders-pg-blue-to-green-smoke-check', 'orders-pg-unfreeze-blue', 'orders-pg-unfreeze-green']) {
    const job = findManifest(manifests, 'Job', name);
    expect(job.spec.suspend).toBe(true);
    expect(job.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
  }
  expect(bg.host).toBe('orders-postgres');
  expect(bg.strategy.reverseReplication).toBe(true);
});

describeWithBinaries('the example\'s user step script', SHELLCHECK, () => {
  test('passes shellcheck', () => expect(shellcheck(SMOKE_CHECK)).toBe(''));
});
