/** Job fields cdk8s-plus-27 lacks, on a Job or a CronJob's job template (see patch.ts). */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { patch } from './patch';

/** How a Job's pods are counted. */
export enum CompletionMode {
  /** Any `completions` successful pods finish the Job. */
  NON_INDEXED = 'NonIndexed',
  /** Each index 0..completions-1 must succeed once; pods see JOB_COMPLETION_INDEX. */
  INDEXED = 'Indexed',
}

/** The Job fields cdk8s-plus-27 does not expose. */
export interface JobSpecExtras {
  /** @default - unset (work queue) */
  readonly completions?: number;
  /** @default - unset (1) */
  readonly parallelism?: number;
  /** @default - unset (NonIndexed) */
  readonly completionMode?: CompletionMode;
  /** @default - none */
  readonly podFailurePolicy?: k8s.PodFailurePolicy;
  /** @default - unset (false) */
  readonly suspend?: boolean;
  /**
   * For CronJobs: cdk8s-plus-27 refuses ttlAfterFinished together with history limits, but
   * Kubernetes applies both (whichever removes a Job first).
   * @default - unset
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** Where the Job spec lives: a Job's own spec, or a CronJob's job template. */
function jobSpecPath(owner: kplus.Job | kplus.CronJob): string {
  return owner instanceof kplus.CronJob ? '/spec/jobTemplate/spec' : '/spec';
}

/** completions, parallelism, completionMode, podFailurePolicy, suspend and (CronJob) TTL. */
export function setJobSpecExtras(owner: kplus.Job | kplus.CronJob, extras: JobSpecExtras): void {
  const base = jobSpecPath(owner);
  for (const [field, value] of Object.entries(extras)) {
    if (value !== undefined) patch(owner, `${base}/${field}`, value);
  }
}
