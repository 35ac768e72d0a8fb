import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Chart, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { validateResources } from '../defaults/resources';
import { checkConstructId, checkEnum, PropKeys, rejectUnknownProps } from '../defaults/props';
import { checkBackupJobTypes } from './backup-pod';
import { integerAtLeast, wholeSeconds } from '../defaults/checks';
import { BACKUP_SCHEDULE_DEFAULTS, JOB_DEFAULTS } from '../defaults/jobs';
import { cronJobNameProblem } from '../kube/names';
import { IBackupable, IBackupSource } from '../databases/backup-contract';
import { JobBuilder, JobRestartPolicy } from '../batch/job-builder';
import {
  createJobNetworkPolicy, createScriptsConfigMap, dumpVolume, filesEnv, jobContainer, mountVolumes, namespaceProblems,
  resolveBackupSource, resolveScratchSpace, s3Env, scratchProblems, throwProblems, withScratchSpace,
} from './backup-pod';
import { BackupTarget, BackupTargetKind, ResolvedS3Target } from './backup-target';
import { BackupSchedule, longestRunSpan, validateTimeZone } from './schedule';
import { BACKUP_SCRIPT_KEYS } from './scripts';

/** The props of a BackupCronJob; the compiler keeps the list complete. */
const BACKUP_CRON_JOB_PROP_KEYS: PropKeys<BackupCronJobProps> = {
  database: true, schedule: true, target: true, name: true, retention: true, timeZone: true, concurrencyPolicy: true, startingDeadline: true,
  successfulJobsRetained: true, failedJobsRetained: true, activeDeadline: true, backoffLimit: true, ttlAfterFinished: true, scratchSpace: true,
  suspend: true, resources: true, transferResources: true, networkPolicy: true, partOf: true,
};

export interface BackupCronJobProps {
  /**
   * The database: a PostgresCluster, MySqlCluster or RedisCluster (its default dump), a backup
   * source such as `new PostgresBackupSource(db, { dump: ... })`, or any IBackupable.
   */
  readonly database: IBackupable;
  /** When to back up, e.g. `BackupSchedule.cron(Cron.daily())` or `BackupSchedule.expression('0 3 * * *')`. */
  readonly schedule: BackupSchedule;
  /** Where dumps go: `BackupTarget.persistentVolume(...)`, `existingClaim(...)` or `s3(...)`. */
  readonly target: BackupTarget;
  /**
   * The CronJob name (at most 52 characters); also names the scripts ConfigMap, the NetworkPolicy
   * and the dump volume (`<name>-dumps`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * How many dumps to keep on a volume target; the job deletes older ones after each backup.
   * Not for S3 targets: use a bucket lifecycle rule there.
   * @default 7 for volume targets
   */
  readonly retention?: number;
  /**
   * The IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default - the kube-controller-manager's time zone (UTC on most clusters)
   */
  readonly timeZone?: string;
  /** @default ConcurrencyPolicy.FORBID (a slow backup is never overlapped by the next) */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * How late a missed run may still start (at least 10 seconds: the controller checks every 10).
   * @default Duration.minutes(5)
   */
  readonly startingDeadline?: Duration;
  /** @default 3 */
  readonly successfulJobsRetained?: number;
  /** @default 1 */
  readonly failedJobsRetained?: number;
  /** How long one backup may run before it is failed. @default Duration.minutes(30) */
  readonly activeDeadline?: Duration;
  /** Failed pods retried before the run fails. @default 3 */
  readonly backoffLimit?: number;
  /**
   * How long a finished Job and its logs are kept. The history limits already delete old Jobs,
   * so by default the Jobs get no TTL and `successfulJobsRetained` / `failedJobsRetained` alone
   * decide. A TTL must not delete Jobs the history limits keep: it must be at least the longest
   * time that many runs span on the schedule (e.g. 5 days for a daily schedule keeping 5 Jobs),
   * otherwise the constructor throws.
   * @default - no TTL: the history limits decide
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * S3 targets: the size of the emptyDir the dump is written to before the upload (room for
   * one dump). It is the emptyDir's sizeLimit and the ephemeral-storage request of the dump
   * container, whose limit is 1Gi more (its logs and /tmp). A whole number of GiB.
   * @default Size.gibibytes(10)
   */
  readonly scratchSpace?: Size;
  /** Create the CronJob suspended (no runs until `spec.suspend` is false). @default false */
  readonly suspend?: boolean;
  /** Resources of the dump container. @default - ResourcePreset.SMALL (250m / 256Mi requested, 500m / 512Mi limit) */
  readonly resources?: kplus.ContainerResources;
  /** Resources of the S3 upload container (S3 targets only). @default - ResourcePreset.SMALL */
  readonly transferResources?: kplus.ContainerResources;
  /** Create the NetworkPolicy that limits the pods' traffic. @default true */
  readonly networkPolicy?: boolean;
  /** `app.kubernetes.io/part-of`. @default - the CronJob name */
  readonly partOf?: string;
}

/**
 * Dumps a database on a schedule to a volume (keeping the newest `retention` dumps) or to an
 * S3-compatible bucket, with production settings: Forbid concurrency, a starting deadline,
 * history limits (and no TTL that would undercut them), an active deadline and a retry limit,
 * explicit resources, the
 * restricted security context as the database image's user, and a NetworkPolicy that allows
 * only the database port, DNS and the storage endpoint.
 *
 * The dump runs in the database's own image (same client version). With an S3 target it runs
 * as an init container writing to a size-limited emptyDir (`scratchSpace`), and an AWS CLI
 * container uploads the file with the credentials Secret mounted as files.
 *
 * Run a backup now: `kubectl create job --from=cronjob/<name> <name>-manual-$(date +%s)`
 * (`manualTriggerCommand`).
 */
export class BackupCronJob extends Construct {
  /** The cdk8s-plus CronJob; reach its L1 object with `ApiObject.of(backup.cronJob)`. */
  public readonly cronJob: kplus.CronJob;
  /** The CronJob name. */
  public readonly name: string;
  /** The database being dumped. */
  public readonly source: IBackupSource;
  /** Where dumps go. */
  public readonly target: BackupTarget;
  /** The schedule, validated. */
  public readonly schedule: BackupSchedule;
  /** The container that dumps (the main container, or the init container with an S3 target). */
  public readonly dumpContainer: kplus.Container;
  /** The S3 upload container, for S3 targets. */
  public readonly uploadContainer?: kplus.Container;
  /** The scripts every container runs (`<name>-scripts`). */
  public readonly scriptsConfigMap: kplus.ConfigMap;
  /** The claim created for a persistentVolume target. */
  public readonly claim?: kplus.PersistentVolumeClaim;
  /** The claim the dumps are on (volume targets). */
  public readonly claimName?: string;
  /** The NetworkPolicy (unless disabled). */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** How many dumps a volume keeps (undefined for S3). */
  public readonly retention?: number;
  /** The size of the emptyDir the dump passes through (S3 targets; undefined for volumes). */
  public readonly scratchSpace?: Size;
  /** The labels of the backup pods (selector labels plus the database's client labels). */
  public readonly podLabels: Record<string, string>;
  /** Starts a backup now, outside the schedule. */
  public readonly manualTriggerCommand: string;

  constructor(scope: Construct, id: string, props: BackupCronJobProps) {
    checkConstructId(scope, id);
    super(scope, id);
    rejectUnknownProps(this, props, BACKUP_CRON_JOB_PROP_KEYS, 'BackupCronJobProps');
    if (props.schedule !== undefined && !(props.schedule instanceof BackupSchedule)) {
      throw new ConfigurationError(this, 'schedule', 'must be a BackupSchedule', props.schedule, 'Pass BackupSchedule.cron(Cron.daily()) or BackupSchedule.expression(\'0 3 * * *\').');
    }
    if (props.target !== undefined && !(props.target instanceof BackupTarget)) {
      throw new ConfigurationError(this, 'target', 'must be a BackupTarget', props.target, 'Pass BackupTarget.persistentVolume(...), existingClaim(...) or s3(...).');
    }
    checkBackupJobTypes(this, props);
    checkEnum(this, 'concurrencyPolicy', props.concurrencyPolicy, kplus.ConcurrencyPolicy, 'ConcurrencyPolicy');
    this.name = props.name ?? id;
    const nameProblem = cronJobNameProblem(this.name);
    if (nameProblem) throw new ConfigurationError(this, 'name', nameProblem, this.name, 'Pass a shorter `name` of lowercase letters, digits and "-".');
    this.schedule = props.schedule;
    if (!this.schedule) throw new ConfigurationError(this, 'schedule', 'is required', undefined, 'Pass e.g. BackupSchedule.cron(Cron.daily()).');
    this.schedule.validate(this, 'schedule');
    if (props.timeZone !== undefined) validateTimeZone(this, 'timeZone', props.timeZone);
    this.source = resolveBackupSource(this, 'database', props.database);
    this.target = props.target;
    if (!this.target) throw new ConfigurationError(this, 'target', 'is required', undefined, 'Pass BackupTarget.persistentVolume(...), existingClaim(...) or s3(...).');
    this.target._validate(this, 'target');
    const s3 = this.target.isVolume ? undefined : this.target._resolveS3(this, 'target');

    throwProblems(this, [...this.conflicts(props), ...namespaceProblems(this, 'database', this.source)]);
    this.retention = this.target.isVolume ? integerAtLeast(this, 'retention', props.retention ?? BACKUP_SCHEDULE_DEFAULTS.retention, 1, 'Keep at least one dump, e.g. 7 for a week of daily backups.') : undefined;
    const scratch = resolveScratchSpace(this, this.target, props.scratchSpace);
    this.scratchSpace = scratch === undefined ? undefined : Size.gibibytes(scratch);

    const cron = this.cronSchedule(props);
    const builder = new JobBuilder(this, {
      backoffLimit: props.backoffLimit,
      activeDeadline: props.activeDeadline,
      ttlAfterFinished: props.ttlAfterFinished,
      name: this.name,
      user: this.source.user,
      defaults: JOB_DEFAULTS.backup,
      restartPolicy: JobRestartPolicy.NEVER,
      identity: () => ({ name: `${this.source.engine}-backup`, instance: this.name, component: 'backup', partOf: props.partOf }),
      podLabels: this.source.clientLabels,
      cron,
    });
    this.cronJob = builder.workload as kplus.CronJob;
    this.reconcileTtl(props.ttlAfterFinished, cron.successfulJobsRetained, cron.failedJobsRetained);
    this.podLabels = builder.podLabels;
    this.scriptsConfigMap = createScriptsConfigMap(this, `${this.name}-scripts`, this.source);
    if (this.target.kind === BackupTargetKind.PERSISTENT_VOLUME) {
      const options = this.target.volumeOptions!;
      this.claim = new kplus.PersistentVolumeClaim(this, 'dumps', {
        metadata: { name: options.claimName ?? `${this.name}-dumps` },
        storage: options.size,
        storageClassName: options.storageClassName,
        accessModes: options.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      });
    }
    this.claimName = this.claim?.name ?? this.target.existingClaimName;
    const claim = this.claimName ? kplus.PersistentVolumeClaim.fromClaimName(this, 'claim', this.claimName) : undefined;

    const [dump, upload] = this.addContainers(builder, props, s3, scratch);
    this.dumpContainer = dump;
    this.uploadContainer = upload;
    mountVolumes(this, {
      s3,
      scripts: this.scriptsConfigMap,
      dumps: dumpVolume(this, this.target, claim, scratch),
      dumpsReadOnly: false,
      source: this.source,
      databaseContainers: [dump],
      transferContainers: upload ? [upload] : [],
    });
    if (props.networkPolicy ?? true) this.networkPolicy = createJobNetworkPolicy(this, this.name, builder.selectorLabels, [this.source], s3);
    builder.finish();

    const namespace = Chart.of(this).namespace;
    const manualName = `${this.name.slice(0, 63 - '-manual-'.length - 10)}-manual-$(date +%s)`;
    this.manualTriggerCommand = `kubectl${namespace ? ` -n ${namespace}` : ''} create job --from=cronjob/${this.name} ${manualName}`;
  }

  /** Props that contradict each other or the target, all at once. */
  private conflicts(props: BackupCronJobProps): string[] {
    const problems: string[] = [];
    if (!this.target.isVolume) {
      if (props.retention !== undefined) problems.push(`retention (${props.retention}) only applies to volume targets; for S3 remove it and add a bucket lifecycle rule that expires old objects under the prefix`);
    } else if (props.transferResources !== undefined) {
      problems.push('transferResources only applies to S3 targets (the upload container); remove it or use BackupTarget.s3(...)');
    }
    problems.push(...scratchProblems(this.target, props.scratchSpace, { prop: 'resources', resources: props.resources }));
    if (this.target.isVolume && props.concurrencyPolicy === kplus.ConcurrencyPolicy.ALLOW) {
      problems.push('concurrencyPolicy Allow with a volume target lets two runs write (and prune) the same volume, and a ReadWriteOnce claim cannot mount on two nodes; use Forbid');
    }
    return problems;
  }

  private cronSchedule(props: BackupCronJobProps) {
    const startingDeadline = wholeSeconds(this, 'startingDeadline', props.startingDeadline ?? BACKUP_SCHEDULE_DEFAULTS.startingDeadline, 10,
      'The CronJob controller checks schedules every 10 seconds; a shorter deadline may never start a run. Use e.g. Duration.minutes(5).');
    return {
      schedule: this.schedule.toCron(),
      timeZone: props.timeZone,
      concurrencyPolicy: props.concurrencyPolicy ?? BACKUP_SCHEDULE_DEFAULTS.concurrencyPolicy,
      startingDeadline: Duration.seconds(startingDeadline),
      successfulJobsRetained: integerAtLeast(this, 'successfulJobsRetained', props.successfulJobsRetained ?? BACKUP_SCHEDULE_DEFAULTS.successfulJobsRetained, 0, 'Keep e.g. 3 finished Jobs for their logs.'),
      failedJobsRetained: integerAtLeast(this, 'failedJobsRetained', props.failedJobsRetained ?? BACKUP_SCHEDULE_DEFAULTS.failedJobsRetained, 0, 'Keep e.g. 1 failed Job to read why it failed.'),
      suspend: props.suspend ?? false,
    };
  }

  /**
   * TTL versus history limits. Without an explicit TTL the Jobs get none (JOB_DEFAULTS.backup has
   * none): the history limits delete old Jobs by themselves. An explicit TTL must
   * outlive the Jobs the limits keep: the N newest finished Jobs span up to N consecutive
   * intervals of the schedule (longestRunSpan), N the larger of the two limits (all runs may
   * succeed, or all fail).
   */
  private reconcileTtl(ttl: Duration | undefined, successful: number, failed: number): void {
    if (ttl === undefined) return;
    const kept = Math.max(successful, failed);
    const span = longestRunSpan(this.schedule.expressionString, kept);
    const seconds = ttl.toSeconds();
    if (seconds >= span * 60) return;
    const which = successful >= failed ? `successfulJobsRetained ${successful}` : `failedJobsRetained ${failed}`;
    const needed = Number.isFinite(span) ? `at least ${durationCode(span)}` : 'none at all';
    throw new ConfigurationError(this, 'ttlAfterFinished',
      `is shorter than the ${kept} finished Job(s) the history limits keep (${which}): on schedule "${this.schedule.expressionString}" ${kept} run(s) span up to ${humanMinutes(span)}, so the TTL would delete Jobs the limits promise to keep`,
      `${seconds}s`,
      `Remove ttlAfterFinished (the history limits then decide), use ${needed}, or lower the history limits.`);
  }

  private addContainers(builder: JobBuilder, props: BackupCronJobProps, s3: ResolvedS3Target | undefined, scratch: number | undefined): [kplus.Container, kplus.Container | undefined] {
    // Checked under their own names: the containers' errors would otherwise name `database` or `target`.
    if (props.resources) validateResources(this, 'resources', props.resources);
    if (props.transferResources) validateResources(this, 'transferResources', props.transferResources);
    const files = filesEnv(this.source);
    const dump = builder.addContainer(this.source.user, jobContainer({
      name: s3 ? 'dump' : 'backup',
      image: this.source.image,
      script: BACKUP_SCRIPT_KEYS.backup,
      env: { ...files, ...this.source.dumpEnv(), ...this.source.connectionEnv(), RETAIN_COUNT: kplus.EnvValue.fromValue(String(this.retention ?? 0)) },
      resources: scratch === undefined ? props.resources : withScratchSpace(props.resources, scratch),
      init: s3 !== undefined,
      prop: 'database',
    }));
    if (!s3) return [dump, undefined];
    const upload = builder.addContainer(this.source.user, jobContainer({
      name: 'upload', image: s3.image, script: BACKUP_SCRIPT_KEYS.upload, env: { ...files, ...s3Env(s3) }, resources: props.transferResources, prop: 'target',
    }));
    return [dump, upload];
  }
}

/** Minutes as the Duration call that writes them, e.g. `Duration.days(5)`. */
function durationCode(minutes: number): string {
  if (minutes % 1440 === 0) return `Duration.days(${minutes / 1440})`;
  if (minutes % 60 === 0) return `Duration.hours(${minutes / 60})`;
  return `Duration.minutes(${minutes})`;
}

/** Minutes for people: "5 days", "20 hours", "45 minutes", or "more than a century". */
function humanMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'more than a century';
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}
