/** Checks of a Job's scalar settings, kept apart so batch-job.ts reads as the construction. */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { ImageUser } from '../defaults/security';
import { dnsLabelProblem } from '../kube/names';
import { JobPattern, JobPatternKind } from './job-pattern';

/** The random suffix the Job controller appends to pod names (`-xxxxx`). */
const POD_SUFFIX = '-xxxxx';

/** Whole seconds of a Duration, or a ConfigurationError (cdk8s would throw a less helpful one at synth). */
export function wholeSeconds(scope: IConstruct, prop: string, duration: Duration, min: number): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) throw new ConfigurationError(scope, prop, 'must be a whole number of seconds', `${seconds}s`, 'Use Duration.seconds(), minutes() or hours().');
  if (seconds < min) {
    throw new ConfigurationError(scope, prop, `must be ${min === 0 ? 'zero or more' : 'greater than zero'} seconds`, `${seconds}s`,
      min === 0 ? 'Use Duration.seconds(0) to delete the Job as soon as it finishes.' : 'Give the Job time to run, e.g. Duration.hours(1).');
  }
  return seconds;
}

/** backoffLimit: a whole number of retries >= 0. */
export function validateBackoffLimit(scope: IConstruct, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new ConfigurationError(scope, 'backoffLimit', 'must be an integer >= 0', value, 'Pass the number of retries, e.g. 6 (the Kubernetes default).');
  return value;
}

/** A non-root numeric user: the restricted Pod Security Standard rejects uid 0. */
export function validateUser(scope: IConstruct, user: ImageUser): void {
  for (const [field, value] of [['uid', user.uid], ['gid', user.gid]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(scope, `user.${field}`, 'must be a non-root integer >= 1', value, 'Use the image\'s numeric user, e.g. 65532 (nonroot in distroless images).');
    }
  }
}

/**
 * The longest pod name the Job controller will create: `<name>-xxxxx`, or for an Indexed Job
 * `<name>-<completions-1>-xxxxx`. Pod hostnames and the `job-name` label are DNS labels, so we
 * keep the whole pod name within 63 characters.
 */
export function longestPodName(jobName: string, pattern: JobPattern): string {
  const index = pattern.kind === JobPatternKind.INDEXED ? `-${(pattern.completions ?? 1) - 1}` : '';
  return `${jobName}${index}${POD_SUFFIX}`;
}

/** The Job name is a DNS label and leaves room for the controller's pod name suffixes. */
export function validateJobName(scope: IConstruct, jobName: string, pattern: JobPattern): void {
  const problem = dnsLabelProblem(jobName);
  if (problem) throw new ConfigurationError(scope, 'name', problem, jobName, 'Use lowercase letters, digits and "-".');
  const podName = longestPodName(jobName, pattern);
  if (podName.length > 63) {
    throw new ConfigurationError(scope, 'name', `makes pod names like "${podName}" ${podName.length} characters long; at most 63 are allowed`, jobName,
      `Shorten the name by ${podName.length - 63} character(s) (pass \`name\` explicitly if it was generated).`);
  }
}
