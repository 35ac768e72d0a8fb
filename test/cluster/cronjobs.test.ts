/**
 * The backup CronJobs of dist/backups.k8s.yaml (moved to namespace "cron-e2e") driven by the real
 * CronJob controller, with their schedule changed to every minute.
 */
import { example, events, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { created, waitJobComplete } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'cron-e2e';

async function jobsOf(cronJob: string): Promise<any[]> {
  return (await cluster().api.list(`/apis/batch/v1/namespaces/${NS}/jobs`))
    .filter((j) => j.metadata.ownerReferences?.some((o: any) => o.kind === 'CronJob' && o.name === cronJob));
}

const cronPath = (name: string) => `/apis/batch/v1/namespaces/${NS}/cronjobs/${name}`;

describeCluster('CronJobs of the example backups', () => {
  let patchedAt = 0;
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
    await mustApply(example('backups', { from: 'shop', to: NS }));
    patchedAt = Date.now();
    await cluster().api.patch(cronPath('orders-backup'), { spec: { schedule: '* * * * *' } });
    // shop-db-backup's Job can never finish: its pod asks for a node that does not exist
    await cluster().api.patch(cronPath('shop-db-backup'), {
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { nodeSelector: { 'e2e.cdk8s-workloads/no-such-node': 'true' } } } } } },
    });
  });
  afterAll(async () => {
    for (const name of ['orders-backup', 'shop-db-backup']) await cluster().api.patch(cronPath(name), { spec: { suspend: true } }).catch(() => undefined);
  });

  test('a schedule of every minute (timeZone Europe/Berlin) fires a Job within 90 s, and the Job completes', async () => {
    const cron = await cluster().api.get(cronPath('orders-backup'));
    expect(cron.spec.timeZone).toBe('Europe/Berlin');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const [first] = await waitFor('a Job of CronJob orders-backup', 90_000 - (Date.now() - patchedAt), async () => {
      const jobs = await jobsOf('orders-backup');
      return { done: jobs.length > 0, state: `${jobs.length} jobs; cron status ${JSON.stringify((await cluster().api.get(cronPath('orders-backup'))).status)}`, value: jobs };
    }, 1000);
    expect(created(first) - patchedAt).toBeLessThan(90_000);
    await waitJobComplete(NS, first.metadata.name, 120_000);
    await waitFor('CronJob orders-backup to record a successful run', 60_000, async () => {
      const st = (await cluster().api.get(cronPath('orders-backup'))).status ?? {};
      return { done: Boolean(st.lastSuccessfulTime), state: JSON.stringify(st) };
    });
  });

  test('concurrencyPolicy Forbid: while a run is still active the next schedule starts no Job', async () => {
    const [first] = await waitFor('the first Job of CronJob shop-db-backup', 90_000, async () => {
      const jobs = await jobsOf('shop-db-backup');
      return { done: jobs.length > 0, state: `${jobs.length} jobs`, value: jobs };
    }, 1000);
    // the next minute boundary after the first run, plus time for the controller to act on it
    const nextMinute = Math.floor(created(first) / 60_000) * 60_000 + 60_000;
    const skipped = await waitFor('a JobAlreadyActive event for shop-db-backup after the next minute', nextMinute + 40_000 - Date.now(), async () => {
      const skips = (await events('JobAlreadyActive', NS)).filter((e) => e.includes('shop-db-backup'));
      return { done: skips.length > 0 && Date.now() > nextMinute, state: `${skips.length} JobAlreadyActive events`, value: skips };
    }, 1000);
    expect(skipped[0]).toMatch(/Forbid/);
    expect((await jobsOf('shop-db-backup')).map((j) => j.metadata.name)).toEqual([first.metadata.name]);
    expect((await cluster().api.get(cronPath('shop-db-backup'))).status.active).toHaveLength(1);
  });
});
