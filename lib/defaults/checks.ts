/** The scalar checks every construct shares: one wording for each mistake. */
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';

/** Whole seconds of a Duration, at least `min`, or a ConfigurationError (cdk8s would throw a less helpful one at synth). */
export function wholeSeconds(scope: IConstruct | string, prop: string, duration: Duration, min: number, fix: string): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) throw new ConfigurationError(scope, prop, 'must be a whole number of seconds', `${seconds}s`, 'Use Duration.seconds(), minutes() or hours().');
  if (seconds < min) throw new ConfigurationError(scope, prop, `must be at least ${min} second(s)`, `${seconds}s`, fix);
  return seconds;
}

/** An integer >= min, or a ConfigurationError. */
export function integerAtLeast(scope: IConstruct | string, prop: string, value: number, min: number, fix: string): number {
  if (!Number.isInteger(value) || value < min) throw new ConfigurationError(scope, prop, `must be an integer >= ${min}`, value, fix);
  return value;
}
