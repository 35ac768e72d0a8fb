import { App } from 'cdk8s';
import { databaseExamples } from '../../examples/databases';
import { scheduledExamples } from '../../examples/scheduled';
import { findManifest } from '../../lib/testing/validate';
import { synth } from './support';

test('the backups example chart: volume backup with retention 7, S3 backup (20Gi scratch, mounted credentials), restore of the latest dump; no TTL; all valid', () => {
  const app = new App({ outdir: '/tmp/unused' });
  const { ordersDb } = databaseExamples(app);
  scheduledExamples(app, ordersDb);
  const chart = app.charts.find((c) => c.node.id === 'backups')!;
  const manifests = synth(chart);
  const volume = findManifest(manifests, 'CronJob', 'orders-backup');
  expect(volume.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin' });
  expect(volume.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({ name: 'RETAIN_COUNT', value: '7' });
  const s3 = findManifest(manifests, 'CronJob', 'orders-s3-backup');
  expect(s3.spec.jobTemplate.spec.template.spec.containers[0].name).toBe('upload');
  expect(s3.spec.jobTemplate.spec.template.spec.volumes).toContainEqual({ name: 'dumps', emptyDir: { sizeLimit: '20480Mi' } });
  expect(s3.spec.jobTemplate.spec.template.spec.volumes.map((v: { name: string }) => v.name)).toContain('s3-credentials');
  for (const cron of [volume, s3]) expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
  expect(findManifest(manifests, 'Job', 'orders-restore').spec.template.spec.containers[0].env).toContainEqual({ name: 'DUMP_NAME', value: '' });
  expect(findManifest(manifests, 'PersistentVolumeClaim', 'orders-backup-dumps').spec.storageClassName).toBe('standard-rwo');
});
