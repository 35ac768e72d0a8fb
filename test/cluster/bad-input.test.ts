/**
 * The catalogue of bad inputs, as raw YAML a user could have written, sent to the real API server
 * (server-side apply, strict field validation, dry run): the server must reject each one and name
 * the field. The valid base objects the cases are cut from must be accepted, so a rejection is
 * the edit's doing.
 */
import { BAD, IMAGE_WITH_TRAILING_SPACE, job, VALID } from './fixtures/bad-input';
import { apply, events, mustApply, podSecurityNamespace } from './harness/apply';
import { cluster, describeCluster } from './harness/env';
import { pods } from './harness/objects';
import { waitFor } from './harness/wait';

const NS = 'bad-input';

describeCluster('bad input on the real API server', () => {
  beforeAll(async () => {
    await podSecurityNamespace(NS, 'baseline');
  });

  test.each(VALID)('accepted: $name', async ({ yaml }) => {
    const r = await apply(yaml, ['-n', NS, '--dry-run=server']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test.each(BAD)('rejected: $name', async ({ yaml, field, message }) => {
    const r = await apply(yaml, ['-n', NS, '--dry-run=server']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toMatch(message);
  });

  test('an image with a trailing space: the Job is accepted, but the Job controller cannot create a single pod', async () => {
    await mustApply(IMAGE_WITH_TRAILING_SPACE, ['-n', NS]);
    const failures = await waitFor('FailedCreate events for Job trailing-space', 60_000, async () => {
      const found = (await events('FailedCreate', NS)).filter((e) => e.includes('/Job/trailing-space:'));
      return { done: found.length > 0, state: `${found.length} events`, value: found };
    });
    expect(failures[0]).toMatch(/spec\.containers\[0\]\.image: Invalid value: "redis:7\.2\.5 ": must not have leading or trailing whitespace/);
    expect(await pods(NS, 'job-name=trailing-space')).toEqual([]);
    await cluster().api.delete(`/apis/batch/v1/namespaces/${NS}/jobs/trailing-space?propagationPolicy=Background`);
  });

  test('control: a pod template that breaks the restricted level is accepted as a Job, and PodSecurity refuses its pods (FailedCreate)', async () => {
    await podSecurityNamespace('psa-control', 'restricted');
    const r = await apply(job({ name: 'plain-pod' }), ['-n', 'psa-control']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: would violate PodSecurity "restricted:latest"/);
    const failures = await waitFor('FailedCreate events for Job plain-pod', 60_000, async () => {
      const found = await events('FailedCreate', 'psa-control');
      return { done: found.length > 0, state: `${found.length} events`, value: found };
    });
    expect(failures[0]).toMatch(/violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    await cluster().api.delete('/apis/batch/v1/namespaces/psa-control/jobs/plain-pod?propagationPolicy=Background');
  });
});
