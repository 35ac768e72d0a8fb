import { Chart, Testing } from 'cdk8s';
import { BatchJob, ExitCodeOperator, JobPattern, JobRestartPolicy, PodFailureAction, PodFailurePolicy } from '../../lib';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';

const IMAGE = 'ghcr.io/example/worker:1.0.0';

function policyOf(policy: PodFailurePolicy, restartPolicy?: JobRestartPolicy): Manifest {
  const chart = new Chart(Testing.app(), 'test');
  new BatchJob(chart, 'job', { name: 'work', image: IMAGE, pattern: JobPattern.indexed({ completions: 10, parallelism: 2 }), podFailurePolicy: policy, restartPolicy });
  return findManifest(synthValid(chart, { restricted: true, production: true }), 'Job', 'work').spec.podFailurePolicy;
}

function build(policy: PodFailurePolicy, restartPolicy?: JobRestartPolicy): () => BatchJob {
  return () => new BatchJob(new Chart(Testing.app(), 'test'), 'job', { name: 'work', image: IMAGE, pattern: JobPattern.singleRun(), podFailurePolicy: policy, restartPolicy });
}

describe('PodFailurePolicy', () => {
  test('no policy by default', () => {
    const chart = new Chart(Testing.app(), 'test');
    new BatchJob(chart, 'job', { name: 'work', image: IMAGE, pattern: JobPattern.singleRun() });
    expect(findManifest(synthValid(chart), 'Job', 'work').spec.podFailurePolicy).toBeUndefined();
  });

  test('ignore disruptions: DisruptionTarget condition, action Ignore', () => {
    expect(policyOf(new PodFailurePolicy().ignoreDisruptions())).toEqual({
      rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
    });
  });

  test('count disruptions: action Count', () => {
    expect(policyOf(new PodFailurePolicy().countDisruptions()).rules).toEqual([{ action: 'Count', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }]);
  });

  test('exit-code rules keep their order, sort their codes and carry an empty onPodConditions', () => {
    const rules = policyOf(new PodFailurePolicy()
      .ignoreDisruptions()
      .failJobOnExitCodes([42, 3])
      .ignoreExitCodes([143, 75], { containerName: 'main' })).rules;
    expect(rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 42] }, onPodConditions: [] },
      { action: 'Ignore', onExitCodes: { containerName: 'main', operator: 'In', values: [75, 143] }, onPodConditions: [] },
    ]);
  });

  test('fail on any exit code other than the retryable ones: NotIn, and 0 is allowed there', () => {
    expect(policyOf(new PodFailurePolicy().failJobOnExitCodesOtherThan([0, 1])).rules).toEqual([
      { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0, 1] }, onPodConditions: [] },
    ]);
  });

  test('generic rules', () => {
    const policy = new PodFailurePolicy()
      .onExitCodes(PodFailureAction.COUNT, ExitCodeOperator.IN, [1])
      .onPodCondition(PodFailureAction.FAIL_JOB, 'ConfigIssue');
    expect(policy.ruleCount).toBe(2);
    expect(policyOf(policy).rules).toEqual([
      { action: 'Count', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [] },
      { action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
    ]);
  });

  test('20 rules and 255 codes per rule are accepted', () => {
    const policy = new PodFailurePolicy().ignoreExitCodes(Array.from({ length: 255 }, (_, i) => i + 1));
    for (let i = 1; i < 20; i++) policy.failJobOnExitCodes([i]);
    const rules = policyOf(policy).rules;
    expect(rules).toHaveLength(20);
    expect(rules[0].onExitCodes.values).toHaveLength(255);
  });
});

describe('PodFailurePolicy errors', () => {
  test('restartPolicy OnFailure', () => {
    expect(build(new PodFailurePolicy().ignoreDisruptions(), JobRestartPolicy.ON_FAILURE))
      .toThrow(/test\/job: podFailurePolicy requires restartPolicy Never \(got "OnFailure"\)/);
  });
  test('exit code 0 with operator In', () => {
    expect(build(new PodFailurePolicy().ignoreExitCodes([0, 1]))).toThrow(/podFailurePolicy\.rules\[0\] exit codes must not contain 0 with operator In \(got \[0,1\]\)/);
  });
  test('more than 20 rules', () => {
    const policy = new PodFailurePolicy();
    for (let i = 1; i <= 21; i++) policy.failJobOnExitCodes([i]);
    expect(build(policy)).toThrow(/podFailurePolicy has more than 20 rules \(got 21\)/);
  });
  test('more than 255 codes in a rule', () => {
    expect(build(new PodFailurePolicy().failJobOnExitCodesOtherThan(Array.from({ length: 256 }, (_, i) => i))))
      .toThrow(/podFailurePolicy\.rules\[0\] exit codes must list 1 to 255 values \(got 256\)/);
  });
  test('no codes in a rule', () => {
    expect(build(new PodFailurePolicy().ignoreExitCodes([]))).toThrow(/exit codes must list 1 to 255 values \(got 0\)/);
  });
  test('duplicate codes', () => {
    expect(build(new PodFailurePolicy().ignoreDisruptions().failJobOnExitCodes([3, 42, 3]))).toThrow(/podFailurePolicy\.rules\[1\] exit codes must be unique \(got 3\)/);
  });
  test('codes outside 0-255', () => {
    expect(build(new PodFailurePolicy().failJobOnExitCodes([256]))).toThrow(/exit codes must be integers 0-255 \(got 256\)/);
  });
  test('unknown container name', () => {
    expect(build(new PodFailurePolicy().failJobOnExitCodes([2], { containerName: 'sidecar' }))).toThrow(/containerName names no container of the pod \(got "sidecar"\)\. Use one of: main\./);
  });
  test('a policy without rules', () => {
    expect(build(new PodFailurePolicy())).toThrow(/podFailurePolicy has no rules/);
  });
});
