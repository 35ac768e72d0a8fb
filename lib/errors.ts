/**
 * One error hierarchy: every mistake a user can make is a ConfigurationError naming the construct
 * path, the prop, the value received and the fix. Subclasses say which kind of mistake it was.
 *
 * jsii cannot export subclasses of the built-in Error, so lib/index.ts exports only `Errors`,
 * which recognises them in every language (`Errors.isConfigurationError(e)`).
 */
import { IConstruct } from 'constructs';

/** The base of every error the library throws for bad input. */
export class ConfigurationError extends Error {
  /** The construct path, or the value-object name, the error is about. */
  public readonly where: string;
  /** The prop that is wrong, e.g. `replicas`. */
  public readonly prop: string;
  constructor(scope: IConstruct | string, prop: string, problem: string, value: unknown, fix: string) {
    const where = typeof scope === 'string' ? scope : scope.node.path;
    super(`${where}: ${prop} ${problem} (got ${renderValue(value)}). ${fix}`);
    this.name = 'ConfigurationError';
    this.where = where;
    this.prop = prop;
  }
}

/**
 * Several problems found at once (conflicting props): one error listing all of them.
 */
export class ConflictingPropsError extends ConfigurationError {
  /** Each problem, in the order found. */
  public readonly problems: string[];
  constructor(scope: IConstruct | string, problems: string[]) {
    super(scope, 'props', `have ${problems.length} problem(s)`, problems.length, 'Fix every one listed below.');
    this.message = `${this.where}: ${problems.length} configuration problem(s):\n  - ${problems.join('\n  - ')}`;
    this.name = 'ConflictingPropsError';
    this.problems = problems;
  }
}

/**
 * A cron schedule the CronJob controller would reject or misread.
 */
export class InvalidScheduleError extends ConfigurationError {
  constructor(scope: IConstruct | string, prop: string, expression: string, problem: string) {
    super(scope, prop, `is invalid: ${problem}`, expression,
      'Use five fields (minute 0-59, hour 0-23, day 1-31, month 1-12 or JAN-DEC, weekday 0-6 or SUN-SAT) or a macro such as @daily.');
    this.name = 'InvalidScheduleError';
  }
}

/** Recognises the library's errors, in every jsii language. */
export class Errors {
  /** Whether `error` is a ConfigurationError (bad input to a construct or value object). */
  public static isConfigurationError(x: any): boolean {
    return x instanceof ConfigurationError;
  }
  /** Whether `error` lists several conflicting props at once. */
  public static isConflictingPropsError(x: any): boolean {
    return x instanceof ConflictingPropsError;
  }
  /** Whether `error` is an invalid cron schedule. */
  public static isInvalidScheduleError(x: any): boolean {
    return x instanceof InvalidScheduleError;
  }
  private constructor() {}
}

/** A value as it appears in an error: strings quoted, objects as JSON, NaN and Infinity as themselves. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  try {
    // JSON would print NaN and Infinity as null: keep what the user passed.
    return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
