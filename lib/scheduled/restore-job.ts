import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { validateResources } from '../defaults/resources';
import { checkConstructId, checkType, PropKeys, PropType, rejectUnknownProps } from '../defaults/props';
import { checkBackupJobTypes } from './backup-pod';
import { wholeSeconds } from '../defaults/checks';
import { JOB_DEFAULTS } from '../defaults/jobs';
import { presetResources, ResourcePreset } from '../defaults/resources';
import { jobNameProblem } from '../kube/names';
import { IBackupable, IBackupSource } from '../databases/backup-contract';
import { JobBuilder, JobRestartPolicy } from '../batch/job-builder';
import { BackupCronJob } from './backup-cron-job';
import {
  createJobNetworkPolicy, createScriptsConfigMap, dumpVolume, filesEnv, jobContainer, mountVolumes, namespaceProblems,
  resolveBackupSource, resolveScratchSpace, s3Env, scratchProblems, ScriptContainer, throwProblems, withScratchSpace,
} from './backup-pod';
import { BackupTarget, BackupTargetKind, ResolvedS3Target } from './backup-target';
import { BACKUP_SCRIPT_KEYS } from './scripts';

/** The props of a RestoreJob; the compiler keeps the list complete. */
const RESTORE_JOB_PROP_KEYS: PropKeys<RestoreJobProps> = {
  backup: true, database: true, target: true, into: true, dumpName: true, name: true, waitTimeout: true, backoffLimit: true, activeDeadline: true,
  ttlAfterFinished: true, resources: true, transferResources: true, scratchSpace: true, networkPolicy: true, partOf: true, suspend: true,
};

export interface RestoreJobProps {
  /**
   * The backup whose dumps to restore: its database (format and file names) and target.
   * Give either this or both `database` and `target`.
   * @default - `database` and `target`
   */
  readonly backup?: BackupCronJob;
  /**
   * The database whose dumps to restore (the same value the BackupCronJob was given).
   * @default - the backup's
   */
  readonly database?: IBackupable;
  /**
   * Where the dumps are. A persistentVolume target needs its `claimName` (or pass `backup`).
   * @default - the backup's
   */
  readonly target?: BackupTarget;
  /**
   * The database to restore into, e.g. a scratch cluster to verify a backup without touching
   * production. Same engine as `database`.
   * @default - the database the dumps came from
   */
  readonly into?: IBackupable;
  /**
   * The dump file to restore, e.g. `orders-db-20240131T030000Z.sql.gz`.
   * @default - the newest dump
   */
  readonly dumpName?: string;
  /** The Job name (at most 57 characters). @default - the construct id */
  readonly name?: string;
  /** How long to wait for the database to accept connections. @default Duration.minutes(10) */
  readonly waitTimeout?: Duration;
  /** Failed pods retried (every restore recreates the databases, so a retry is safe). @default 1 */
  readonly backoffLimit?: number;
  /** @default Duration.hours(2) */
  readonly activeDeadline?: Duration;
  /** How long the finished Job and its logs are kept. @default Duration.days(1) */
  readonly ttlAfterFinished?: Duration;
  /** Resources of the restore container. @default - ResourcePreset.SMALL */
  readonly resources?: kplus.ContainerResources;
  /** Resources of the S3 download container. @default - ResourcePreset.SMALL */
  readonly transferResources?: kplus.ContainerResources;
  /**
   * S3 targets: the size of the emptyDir the dump is downloaded to (room for one dump). It is
   * the emptyDir's sizeLimit and the ephemeral-storage request of the download container, whose
   * limit is 1Gi more. A whole number of GiB.
   * @default - the backup's scratchSpace, or Size.gibibytes(10)
   */
  readonly scratchSpace?: Size;
  /** Create the NetworkPolicy that limits the pod's traffic. @default true */
  readonly networkPolicy?: boolean;
  /** `app.kubernetes.io/part-of`. @default - the Job name */
  readonly partOf?: string;
  /**
   * Create the Job suspended: nothing runs until `kubectl patch job <name> -p '{"spec":{"suspend":false}}'`.
   * A restore drops databases, so a stray `kubectl apply` of the app (e.g. after the TTL removed
   * the finished Job) must not start one.
   * @default true
   */
  readonly suspend?: boolean;
}

/**
 * Restores one dump (the newest by default) from a backup target into a database: downloads it
 * first for an S3 target, waits until the database accepts connections (pg_isready loop), then
 * runs the engine's restore, which recreates the dumped databases. Stop the application's
 * connections first (scale it to zero): a database in use cannot be dropped.
 *
 * A Job runs once when applied; delete it and apply again to restore again.
 */
export class RestoreJob extends Construct {
  /** The cdk8s-plus Job; reach its L1 object with `ApiObject.of(restore.job)`. */
  public readonly job: kplus.Job;
  public readonly name: string;
  /** Whose dumps are restored. */
  public readonly source: IBackupSource;
  /** Where the restore connects. */
  public readonly destination: IBackupSource;
  public readonly target: BackupTarget;
  /** The restore container. */
  public readonly restoreContainer: kplus.Container;
  /** The init container that waits for the database. */
  public readonly waitContainer: kplus.Container;
  /** The S3 download init container, for S3 targets. */
  public readonly downloadContainer?: kplus.Container;
  public readonly scriptsConfigMap: kplus.ConfigMap;
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: RestoreJobProps) {
    checkConstructId(scope, id);
    super(scope, id);
    rejectUnknownProps(this, props, RESTORE_JOB_PROP_KEYS, 'RestoreJobProps');
    if (props.target !== undefined && !(props.target instanceof BackupTarget)) {
      throw new ConfigurationError(this, 'target', 'must be a BackupTarget', props.target, 'Pass BackupTarget.existingClaim(...) or s3(...), or pass backup.');
    }
    checkBackupJobTypes(this, props);
    checkType(this, 'waitTimeout', props.waitTimeout, PropType.DURATION);
    this.name = props.name ?? id;
    const nameProblem = jobNameProblem(this.name);
    if (nameProblem) throw new ConfigurationError(this, 'name', nameProblem, this.name, 'Pass a shorter `name` of lowercase letters, digits and "-".');
    throwProblems(this, this.conflicts(props));
    this.source = props.backup ? props.backup.source : resolveBackupSource(this, 'database', props.database);
    this.destination = props.into ? resolveBackupSource(this, 'into', props.into) : this.source;
    this.target = props.backup ? props.backup.target : props.target!;
    this.target._validate(this, 'target');
    const s3 = this.target.isVolume ? undefined : this.target._resolveS3(this, 'target');
    const claimName = props.backup ? props.backup.claimName : this.target.volumeOptions?.claimName ?? this.target.existingClaimName;
    throwProblems(this, [
      ...this.sourceProblems(props, claimName),
      ...scratchProblems(this.target, props.scratchSpace, { prop: 'transferResources', resources: props.transferResources }),
      ...namespaceProblems(this, props.into ? 'into' : 'database', this.destination),
    ]);
    const scratch = resolveScratchSpace(this, this.target, props.scratchSpace ?? props.backup?.scratchSpace);

    const builder = new JobBuilder(this, {
      backoffLimit: props.backoffLimit,
      activeDeadline: props.activeDeadline,
      ttlAfterFinished: props.ttlAfterFinished,
      name: this.name,
      user: this.destination.user,
      defaults: JOB_DEFAULTS.restore,
      restartPolicy: JobRestartPolicy.NEVER,
      identity: () => ({ name: `${this.source.engine}-restore`, instance: this.name, component: 'restore', partOf: props.partOf }),
      podLabels: this.destination.clientLabels,
    });
    this.job = builder.workload as kplus.Job;
    this.scriptsConfigMap = createScriptsConfigMap(this, `${this.name}-scripts`, this.source);
    const [download, wait, restore] = this.addContainers(builder, props, s3, scratch);
    this.downloadContainer = download;
    this.waitContainer = wait;
    this.restoreContainer = restore;
    const claim = claimName ? kplus.PersistentVolumeClaim.fromClaimName(this, 'claim', claimName) : undefined;
    mountVolumes(this, {
      s3,
      scripts: this.scriptsConfigMap,
      dumps: dumpVolume(this, this.target, claim, scratch),
      dumpsReadOnly: this.target.isVolume,
      source: this.destination,
      databaseContainers: [wait, restore],
      transferContainers: download ? [download] : [],
      withoutDumps: [wait],
    });
    if (props.networkPolicy ?? true) this.networkPolicy = createJobNetworkPolicy(this, this.name, builder.selectorLabels, [this.destination], s3);
    builder.finish({ suspend: (props.suspend ?? true) ? true : undefined });
  }

  /** `backup` versus `database`/`target`: exactly one way to say where dumps come from. */
  private conflicts(props: RestoreJobProps): string[] {
    const problems: string[] = [];
    if (props.backup) {
      if (props.database !== undefined) problems.push('database conflicts with backup: the backup already names its database; remove one');
      if (props.target !== undefined) problems.push('target conflicts with backup: the backup already names its target; remove one');
    } else {
      if (props.database === undefined) problems.push('database is required without backup: pass the database whose dumps to restore, or pass backup');
      if (props.target === undefined) problems.push('target is required without backup: pass where the dumps are, or pass backup');
    }
    return problems;
  }

  private sourceProblems(props: RestoreJobProps, claimName: string | undefined): string[] {
    const problems: string[] = [];
    if (this.destination.engine !== this.source.engine) {
      problems.push(`into is a ${this.destination.engine} database but the dumps are ${this.source.engine} dumps; restore into a database of the same engine`);
    }
    if (this.target.kind === BackupTargetKind.PERSISTENT_VOLUME && !claimName) {
      problems.push('target is a persistentVolume target without claimName: the claim is created by a BackupCronJob; pass backup, or BackupTarget.existingClaim(\'<backup name>-dumps\')');
    }
    if (props.dumpName !== undefined) {
      const ok = props.dumpName.startsWith(`${this.source.dumpPrefix}-`) && props.dumpName.endsWith(this.source.dumpExtension) && !props.dumpName.includes('/');
      if (!ok) problems.push(`dumpName "${props.dumpName}" is not a dump of this database: names look like ${this.source.dumpPrefix}-20240131T030000Z${this.source.dumpExtension} (a file name, no "/")`);
    }
    if (this.target.isVolume && props.transferResources !== undefined) problems.push('transferResources only applies to S3 targets (the download container); remove it');
    return problems;
  }

  private addContainers(builder: JobBuilder, props: RestoreJobProps, s3: ResolvedS3Target | undefined, scratch: number | undefined): [kplus.Container | undefined, kplus.Container, kplus.Container] {
    // Checked under their own names: the containers' errors would otherwise name `database` or `target`.
    if (props.resources) validateResources(this, 'resources', props.resources);
    if (props.transferResources) validateResources(this, 'transferResources', props.transferResources);
    const files = filesEnv(this.source);
    const dumpName = { DUMP_NAME: kplus.EnvValue.fromValue(props.dumpName ?? '') };
    const waitSeconds = wholeSeconds(this, 'waitTimeout', props.waitTimeout ?? JOB_DEFAULTS.restoreWaitTimeout, 1, 'Use e.g. Duration.minutes(10).');
    const containers: ScriptContainer[] = [];
    if (s3) {
      containers.push({
        name: 'download', image: s3.image, script: BACKUP_SCRIPT_KEYS.download, init: true, prop: 'target',
        env: { ...files, ...dumpName, ...s3Env(s3) }, resources: withScratchSpace(props.transferResources, scratch!),
      });
    }
    containers.push({
      name: 'wait-for-database', image: this.destination.image, script: BACKUP_SCRIPT_KEYS.waitForDatabase, init: true, prop: 'database',
      env: {
        ...this.destination.connectionEnv(),
        SCRIPTS_DIR: files.SCRIPTS_DIR,
        WAIT_TARGET: kplus.EnvValue.fromValue(`${this.destination.host}:${this.destination.port}`),
        WAIT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(waitSeconds)),
      },
      resources: presetResources(ResourcePreset.MICRO),
    }, {
      // The destination's image: its client matches the server restored into, and newer
      // pg_restore/psql read older dumps (the supported upgrade path).
      name: 'restore', image: this.destination.image, script: BACKUP_SCRIPT_KEYS.restore, prop: 'database',
      env: { ...files, ...dumpName, ...this.source.dumpEnv(), ...this.destination.connectionEnv() }, resources: props.resources,
    });
    const added = containers.map((c) => builder.addContainer(this.destination.user, jobContainer(c)));
    return s3 ? [added[0], added[1], added[2]] : [undefined, added[0], added[1]];
  }
}
