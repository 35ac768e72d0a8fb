import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ImageUser } from './security';

/** The lifecycle defaults of one kind of Job, documented with `@default` on its props. */
export interface JobLifecycleDefaults {
  readonly backoffLimit: number;
  readonly activeDeadline: Duration;
  /** @default - none: finished Jobs stay until something else (a CronJob's history limits) removes them */
  readonly ttlAfterFinished?: Duration;
}

/** Every Job default of the library, once. */
export const JOB_DEFAULTS = {
  /** BatchJob: the Kubernetes default retries, an hour to run, logs kept a day. */
  batch: { backoffLimit: 6, activeDeadline: Duration.hours(1), ttlAfterFinished: Duration.days(1) } as JobLifecycleDefaults,
  /** MigrationJob: a migration that failed twice needs a human. */
  migration: { backoffLimit: 2, activeDeadline: Duration.minutes(30), ttlAfterFinished: Duration.days(1) } as JobLifecycleDefaults,
  /**
   * BackupCronJob runs: no TTL, so the history limits alone decide which finished Jobs stay (a
   * TTL shorter than the runs they keep would silently defeat them).
   */
  backup: { backoffLimit: 3, activeDeadline: Duration.minutes(30) } as JobLifecycleDefaults,
  /** RestoreJob: every restore recreates the databases, so one retry is safe. */
  restore: { backoffLimit: 1, activeDeadline: Duration.hours(2), ttlAfterFinished: Duration.days(1) } as JobLifecycleDefaults,
  /** 65532 is `nonroot` in distroless images and unused elsewhere. */
  user: { uid: 65532, gid: 65532 } as ImageUser,
  /** How long MigrationJob waits for the database. */
  migrationWaitTimeout: Duration.minutes(5),
  /** How long RestoreJob waits for the database. */
  restoreWaitTimeout: Duration.minutes(10),
  /**
   * The emptyDir an S3 backup dumps into (and an S3 restore downloads into): its sizeLimit, and
   * the ephemeral-storage request of the container writing it.
   */
  s3ScratchSpace: Size.gibibytes(10),
  /** The writing container's ephemeral-storage limit is the scratch space plus this (its logs, /tmp). */
  scratchHeadroom: Size.gibibytes(1),
  /** The wait container of MigrationJob: a busybox nc that supports -z and -w. */
  waitImage: 'busybox:1.36',
};

/** BackupCronJob's schedule-level defaults. */
export const BACKUP_SCHEDULE_DEFAULTS = {
  retention: 7,
  concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
  startingDeadline: Duration.minutes(5),
  successfulJobsRetained: 3,
  failedJobsRetained: 1,
};
