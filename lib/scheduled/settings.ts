/** Checks of scalar job settings, kept apart so the constructs read as the construction. */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { dnsLabelProblem } from '../kube/names';

/** Whole seconds of a Duration, at least `min`. */
export function wholeSeconds(scope: IConstruct, prop: string, duration: Duration, min: number, fix: string): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) throw new ConfigurationError(scope, prop, 'must be a whole number of seconds', `${seconds}s`, 'Use Duration.seconds(), minutes() or hours().');
  if (seconds < min) throw new ConfigurationError(scope, prop, `must be at least ${min} second(s)`, `${seconds}s`, fix);
  return seconds;
}

/** An integer >= min. */
export function integerAtLeast(scope: IConstruct, prop: string, value: number, min: number, fix: string): number {
  if (!Number.isInteger(value) || value < min) throw new ConfigurationError(scope, prop, `must be an integer >= ${min}`, value, fix);
  return value;
}

/** A workload name: a DNS label of at most `max` characters (CronJob: 52, Job: 57). */
export function validateName(scope: IConstruct, prop: string, name: string, max: number, why: string): void {
  const problem = dnsLabelProblem(name, max);
  if (problem) throw new ConfigurationError(scope, prop, `${problem}${name.length > max ? ` (${why})` : ''}`, name, `Pass a shorter \`name\` of lowercase letters, digits and "-".`);
}
