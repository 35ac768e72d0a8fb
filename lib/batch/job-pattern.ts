import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { CompletionMode } from '../kube/job';

/** The four Job patterns of the Kubernetes docs. */
export enum JobPatternKind {
  /** One pod runs to success once, e.g. a database migration. */
  SINGLE_RUN = 'single-run',
  /** `completions` pods must succeed, up to `parallelism` at a time. */
  FIXED_COMPLETIONS = 'fixed-completions',
  /** `parallelism` workers drain a queue; the Job is done when one succeeds and all have exited. */
  WORK_QUEUE = 'work-queue',
  /** Each index 0..completions-1 must succeed once; each pod knows its index. */
  INDEXED = 'indexed',
}

/** Options of a fixed-completion-count Job. */
export interface FixedCompletionsOptions {
  /** How many pods must succeed. */
  readonly completions: number;
  /**
   * How many pods run at once, 1..completions.
   * @default 1
   */
  readonly parallelism?: number;
}

/** Options of an Indexed Job. */
export interface IndexedJobOptions {
  /** How many indexes (0..completions-1) must each succeed once: the number of partitions. */
  readonly completions: number;
  /**
   * How many pods run at once, 1..completions.
   * @default 1
   */
  readonly parallelism?: number;
}

/** Options of a work-queue Job. */
export interface WorkQueueOptions {
  /** How many workers run at once. */
  readonly parallelism: number;
  /** Where the workers find the queue, e.g. `redis://jobs-queue:6379/0`; passed as an env var. */
  readonly queueAddress: string;
  /**
   * The env var that carries the queue address.
   * @default 'QUEUE_ADDRESS'
   */
  readonly queueAddressEnv?: string;
}

/** The env var an Indexed Job's pods read their index from. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** The env var an Indexed Job's pods read the total number of indexes from. */
export const JOB_COMPLETIONS_ENV = 'JOB_COMPLETIONS';
/** The annotation the Job controller sets on each pod of an Indexed Job. */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The API server's limit on completions of an Indexed Job. */
const MAX_INDEXED_COMPLETIONS = 100000;

/**
 * How a Job's pods are counted. A class with static factories rather than a union of props,
 * so the pattern is the first thing a reader sees at the call site and the API stays jsii-friendly:
 *
 * ```ts
 * JobPattern.singleRun()
 * JobPattern.fixedCompletions({ completions: 5, parallelism: 2 })
 * JobPattern.workQueue({ parallelism: 4, queueAddress: 'redis://jobs-queue:6379/0' })
 * JobPattern.indexed({ completions: 100, parallelism: 10 })
 * ```
 *
 * Numbers are checked when a BatchJob uses the pattern, so errors name the construct.
 */
export class JobPattern {
  /** The env var an Indexed Job's pods read their index from. */
  public static readonly COMPLETION_INDEX_ENV = JOB_COMPLETION_INDEX_ENV;
  /** The env var an Indexed Job's pods read the total number of indexes from. */
  public static readonly COMPLETIONS_ENV = JOB_COMPLETIONS_ENV;
  /** The annotation the Job controller sets on each pod of an Indexed Job. */
  public static readonly COMPLETION_INDEX_ANNOTATION = JOB_COMPLETION_INDEX_ANNOTATION;

  /** completions 1, parallelism 1. */
  public static singleRun(): JobPattern {
    return new JobPattern(JobPatternKind.SINGLE_RUN, CompletionMode.NON_INDEXED, 1, 1);
  }

  /** completions N, parallelism 1..N (default 1). A parallelism above completions is an error, not clamped. */
  public static fixedCompletions(options: FixedCompletionsOptions): JobPattern {
    return new JobPattern(JobPatternKind.FIXED_COMPLETIONS, CompletionMode.NON_INDEXED, options.parallelism ?? 1, options.completions);
  }

  /** parallelism N, completions unset; the queue address reaches every worker as an env var. */
  public static workQueue(options: WorkQueueOptions): JobPattern {
    return new JobPattern(JobPatternKind.WORK_QUEUE, CompletionMode.NON_INDEXED, options.parallelism, undefined,
      options.queueAddress, options.queueAddressEnv ?? 'QUEUE_ADDRESS');
  }

  /**
   * completionMode Indexed, completions N, parallelism 1..N (default 1). Each pod gets
   * `JOB_COMPLETION_INDEX` (from the `batch.kubernetes.io/job-completion-index` annotation)
   * and `JOB_COMPLETIONS`, so a command can say `--partition=$(JOB_COMPLETION_INDEX)`.
   */
  public static indexed(options: IndexedJobOptions): JobPattern {
    return new JobPattern(JobPatternKind.INDEXED, CompletionMode.INDEXED, options.parallelism ?? 1, options.completions);
  }

  private constructor(
    /** Which pattern. */
    public readonly kind: JobPatternKind,
    /** NonIndexed or Indexed. */
    public readonly completionMode: CompletionMode,
    /** Pods at once. */
    public readonly parallelism: number,
    /** Successful pods needed; undefined for a work queue. */
    public readonly completions?: number,
    /** The queue address of a work queue. */
    public readonly queueAddress?: string,
    /** The env var carrying the queue address. */
    public readonly queueAddressEnv?: string,
  ) {}

  /** Throws a ConfigurationError naming `scope` and `prop` when the numbers are not a valid Job. */
  public validate(scope: IConstruct, prop: string): void {
    const indexed = this.kind === JobPatternKind.INDEXED;
    if (this.kind !== JobPatternKind.WORK_QUEUE) {
      if (this.completions === undefined) {
        throw new ConfigurationError(scope, `${prop}.completions`, `is required for ${indexed ? 'an Indexed' : 'a fixed-completions'} Job`, this.completions,
          indexed ? 'Pass the number of partitions, e.g. JobPattern.indexed({ completions: 100, parallelism: 10 }).' : 'Pass completions >= 1.');
      }
      requireCount(scope, `${prop}.completions`, this.completions);
      if (indexed && this.completions > MAX_INDEXED_COMPLETIONS) {
        throw new ConfigurationError(scope, `${prop}.completions`, `must be at most ${MAX_INDEXED_COMPLETIONS} for an Indexed Job`, this.completions, 'Give each index a larger partition.');
      }
    }
    requireCount(scope, `${prop}.parallelism`, this.parallelism);
    if (this.completions !== undefined && this.parallelism > this.completions) {
      throw new ConfigurationError(scope, `${prop}.parallelism`, `must not exceed completions (${this.completions})`, this.parallelism,
        `Lower parallelism to at most ${this.completions}; more pods than completions would never run.`);
    }
    if (this.kind === JobPatternKind.WORK_QUEUE) {
      if (!this.queueAddress) throw new ConfigurationError(scope, `${prop}.queueAddress`, 'must not be empty', this.queueAddress, 'Pass the address workers connect to, e.g. "redis://jobs-queue:6379/0".');
      if (!ENV_NAME.test(this.queueAddressEnv ?? '')) {
        throw new ConfigurationError(scope, `${prop}.queueAddressEnv`, 'is not a valid env var name', this.queueAddressEnv, 'Use letters, digits and "_", e.g. "QUEUE_ADDRESS".');
      }
    }
  }

  /** Env vars the pattern gives every pod, as name to literal value (fieldRef values excluded). */
  public literalEnv(): Record<string, string> {
    if (this.kind === JobPatternKind.WORK_QUEUE) return { [this.queueAddressEnv!]: this.queueAddress! };
    if (this.kind === JobPatternKind.INDEXED) return { [JOB_COMPLETIONS_ENV]: String(this.completions) };
    return {};
  }

  /** Names of every env var the pattern writes. */
  public envNames(): string[] {
    const names = Object.keys(this.literalEnv());
    return this.kind === JobPatternKind.INDEXED ? [JOB_COMPLETION_INDEX_ENV, ...names] : names;
  }
}

function requireCount(scope: IConstruct, prop: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(scope, prop, 'must be an integer >= 1', value, 'Pass a whole number of pods, at least 1.');
  }
}
