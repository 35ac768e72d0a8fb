import { App } from 'cdk8s';
import { batchExamples } from '../../examples/batch';
import { findManifest, synthValid } from '../../lib/testing/validate';

test('the batch example chart: four patterns, a failure policy and a migration job, all valid', () => {
  const app = new App({ outdir: '/tmp/unused' });
  batchExamples(app);
  const chart = app.charts.find((c) => c.node.id === 'batch-jobs')!;
  const manifests = synthValid(chart, { restricted: true, production: true });
  expect(findManifest(manifests, 'Job', 'monthly-report').spec).toMatchObject({ completions: 1, parallelism: 1 });
  expect(findManifest(manifests, 'Job', 'render-thumbnails').spec).toMatchObject({ completions: 8, parallelism: 2 });
  expect(findManifest(manifests, 'Job', 'email-workers').spec.completions).toBeUndefined();
  const reindex = findManifest(manifests, 'Job', 'reindex').spec;
  expect(reindex).toMatchObject({ completionMode: 'Indexed', completions: 100, parallelism: 10 });
  expect(reindex.podFailurePolicy.rules.map((r: { action: string }) => r.action)).toEqual(['Ignore', 'FailJob', 'Ignore']);
  expect(findManifest(manifests, 'Job', 'orders-migrate').spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-database']);
});
