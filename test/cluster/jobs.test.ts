/**
 * Jobs of the examples driven by the real Job controller: the Indexed reindex Job of
 * dist/batch-jobs.k8s.yaml scaled to 20 completions / parallelism 5, and the suspended RestoreJob
 * of dist/backups.k8s.yaml. kwok ends every Job pod with exit code 0.
 */
import { example, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { job, jobCondition, pods, podSummary, waitJobComplete } from './harness/objects';
import { sleep, waitFor } from './harness/wait';

const NS = 'jobs-e2e';

/** Only the reindex Job (and its ConfigMaps, if any) from the batch example. */
function reindexJob(completions: number, parallelism: number): string {
  const docs = example('batch-jobs').split(/^---$/m).filter((d) => /^kind: Job$/m.test(d) && /^ {2}name: reindex$/m.test(d));
  expect(docs).toHaveLength(1);
  return docs[0].replace(/^ {2}completions: \d+$/m, `  completions: ${completions}`).replace(/^ {2}parallelism: \d+$/m, `  parallelism: ${parallelism}`);
}

describeCluster('Jobs of the examples', () => {
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'restricted');
  });

  test('the Indexed reindex Job (20 completions, parallelism 5) completes; pods carry completion indexes 0..19; at most 5 run at once', async () => {
    const yaml = reindexJob(20, 5);
    expect(yaml).toMatch(/completionMode: Indexed/);
    await mustApply(yaml, ['-n', NS]);
    const seen = new Map<string, string>();
    let maxActive = 0;
    const done = await waitFor('Job reindex Complete', 240_000, async () => {
      const list = await pods(NS, 'job-name=reindex');
      for (const p of list) seen.set(p.metadata.name, p.metadata.annotations['batch.kubernetes.io/job-completion-index']);
      maxActive = Math.max(maxActive, list.filter((p) => !['Succeeded', 'Failed'].includes(p.status.phase)).length);
      const j = await job(NS, 'reindex');
      return { done: jobCondition(j, 'Complete'), state: JSON.stringify(j.status), value: j };
    }, 300);
    expect(done.status.succeeded).toBe(20);
    expect(done.status.completedIndexes).toBe('0-19');
    expect([...new Set(seen.values())].map(Number).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(maxActive).toBeLessThanOrEqual(5);
    expect(maxActive).toBeGreaterThan(1);
  });

  test('the pod failure policy is accepted and stored as written (restartPolicy Never)', async () => {
    const j = await job(NS, 'reindex');
    expect(j.spec.template.spec.restartPolicy).toBe('Never');
    const rules = j.spec.podFailurePolicy.rules.map((r: any) => `${r.action}:${r.onExitCodes ? r.onExitCodes.values.join('|') : r.onPodConditions.map((c: any) => c.type).join('|')}`);
    expect(rules).toEqual(['Ignore:DisruptionTarget', 'FailJob:42', 'Ignore:75']);
  });

  test('the suspended RestoreJob creates no pod until it is unsuspended, then completes', async () => {
    await mustApply(example('backups', { from: 'shop', to: NS }));
    await waitFor('Job orders-restore Suspended', 60_000, async () => {
      const j = await job(NS, 'orders-restore');
      return { done: jobCondition(j, 'Suspended'), state: JSON.stringify(j.status) };
    });
    await sleep(5_000);
    expect((await pods(NS, 'job-name=orders-restore')).map(podSummary)).toEqual([]);
    expect((await job(NS, 'orders-restore')).status.active ?? 0).toBe(0);

    await cluster().api.patch(`/apis/batch/v1/namespaces/${NS}/jobs/orders-restore`, { spec: { suspend: false } }, 'merge');
    const j = await waitJobComplete(NS, 'orders-restore', 120_000);
    expect(j.status.succeeded).toBe(1);
    expect((await pods(NS, 'job-name=orders-restore')).length).toBeGreaterThanOrEqual(1);
  });
});
