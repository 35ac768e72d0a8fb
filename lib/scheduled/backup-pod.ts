/**
 * The parts BackupCronJob and RestoreJob share: resolving the database, the scripts ConfigMap,
 * the containers' environment, the dump volume and the NetworkPolicy.
 */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Chart, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { checkType, PropType } from '../defaults/props';
import { createNetworkPolicy, NetworkPeer, TrafficRule } from '../defaults/network';
import { presetResources, ResourcePreset } from '../defaults/resources';
import { mountWritablePaths } from '../defaults/security';
import { IBackupSource, isBackupable } from '../databases/backup-contract';
import { JOB_DEFAULTS } from '../defaults/jobs';
import { JobContainer } from '../batch/job-builder';
import { BackupTarget, ResolvedS3Target, S3_SECRET_KEYS, wholeGibibytes } from './backup-target';
import { BACKUP_DIR, BACKUP_SCRIPT_KEYS, readScript, SCRIPTS_DIR } from './scripts';

/** The IBackupSource of a database prop, or a ConfigurationError saying why it cannot be dumped. */
export function resolveBackupSource(scope: IConstruct, prop: string, database: unknown): IBackupSource {
  if (isBackupable(database)) return database.backupSource();
  const where = database && typeof (database as IConstruct).node === 'object' ? (database as IConstruct).node.path : database;
  throw new ConfigurationError(scope, prop, 'is not a database a backup job can dump (it has no backupSource())', where,
    'Pass a PostgresCluster, MySqlCluster or RedisCluster, a backup source such as new PostgresBackupSource(cluster, { dump: ... }), or your own IBackupable.');
}

/** Problems with running a job for `source` in the chart of `scope` (Secret references are namespace-local). */
export function namespaceProblems(scope: IConstruct, prop: string, source: IBackupSource): string[] {
  const own = Chart.of(scope).namespace;
  if (own && source.databaseNamespace && own !== source.databaseNamespace) {
    return [`${prop} is in namespace "${source.databaseNamespace}" but this job is in "${own}": the pod can only read the database's Secret in its own namespace; put the job in "${source.databaseNamespace}"`];
  }
  return [];
}

/** The scripts ConfigMap: the generic scripts plus the engine's, under fixed keys. */
export function createScriptsConfigMap(scope: Construct, name: string, source: IBackupSource): kplus.ConfigMap {
  const engine = source.scripts();
  return new kplus.ConfigMap(scope, 'scripts', {
    metadata: { name },
    data: {
      [BACKUP_SCRIPT_KEYS.backup]: readScript('backup.sh'),
      [BACKUP_SCRIPT_KEYS.retention]: readScript('retention.sh'),
      [BACKUP_SCRIPT_KEYS.upload]: readScript('upload.sh'),
      [BACKUP_SCRIPT_KEYS.s3Common]: readScript('s3-common.sh'),
      [BACKUP_SCRIPT_KEYS.waitForDatabase]: readScript('wait-for-database.sh'),
      [BACKUP_SCRIPT_KEYS.download]: readScript('download.sh'),
      [BACKUP_SCRIPT_KEYS.restore]: readScript('restore.sh'),
      [BACKUP_SCRIPT_KEYS.dumpDatabase]: engine.dump,
      [BACKUP_SCRIPT_KEYS.restoreDatabase]: engine.restore,
      [BACKUP_SCRIPT_KEYS.databaseReady]: engine.readinessCheck,
    },
  });
}

/** Where the dumps are and how they are named: every container's shared environment. */
export function filesEnv(source: IBackupSource): Record<string, kplus.EnvValue> {
  return {
    BACKUP_DIR: kplus.EnvValue.fromValue(BACKUP_DIR),
    SCRIPTS_DIR: kplus.EnvValue.fromValue(SCRIPTS_DIR),
    DUMP_PREFIX: kplus.EnvValue.fromValue(source.dumpPrefix),
    DUMP_EXTENSION: kplus.EnvValue.fromValue(source.dumpExtension),
  };
}

/** Where the AWS CLI keeps its settings: an emptyDir, the root filesystem is read-only. */
export const AWS_HOME = '/home/aws';

/**
 * Where the S3 credentials Secret is mounted (read-only) in the upload/download containers, as
 * the files `access-key-id` and `secret-access-key` whatever the Secret's keys are called.
 */
export const S3_CREDENTIALS_DIR = '/var/run/secrets/s3-credentials';

/**
 * The upload/download containers' S3 settings. No credentials: s3-common.sh reads them from the
 * mounted Secret (files, not env, so they never appear in the pod spec or `kubectl describe`).
 */
export function s3Env(s3: ResolvedS3Target): Record<string, kplus.EnvValue> {
  return {
    S3_BUCKET: kplus.EnvValue.fromValue(s3.bucket),
    S3_PREFIX: kplus.EnvValue.fromValue(s3.prefix),
    ...(s3.endpoint ? { S3_ENDPOINT: kplus.EnvValue.fromValue(s3.endpoint) } : {}),
    S3_ADDRESSING_STYLE: kplus.EnvValue.fromValue(s3.pathStyle ? 'path' : 'auto'),
    S3_CREDENTIALS_DIR: kplus.EnvValue.fromValue(S3_CREDENTIALS_DIR),
    AWS_DEFAULT_REGION: kplus.EnvValue.fromValue(s3.region),
    HOME: kplus.EnvValue.fromValue(AWS_HOME),
  };
}

/**
 * The scratch space of an S3 job in whole GiB (the default when unset), or undefined for a
 * volume target, where `scratchSpace` is a conflict (see scratchProblems).
 */
export function resolveScratchSpace(scope: IConstruct, target: BackupTarget, scratchSpace: Size | undefined): number | undefined {
  if (target.isVolume) return undefined;
  return wholeGibibytes(scope, 'scratchSpace', scratchSpace ?? JOB_DEFAULTS.s3ScratchSpace, 'Use Size.gibibytes(n): room for one dump (cdk8s-plus renders ephemeral storage in whole GiB only).');
}

/** `scratchSpace` needs an S3 target, and decides the ephemeral storage of the container writing it. */
export function scratchProblems(target: BackupTarget, scratchSpace: Size | undefined, writer: { prop: string; resources?: kplus.ContainerResources }): string[] {
  if (target.isVolume) return scratchSpace === undefined ? [] : ['scratchSpace only applies to S3 targets (the emptyDir the dump passes through); a volume target writes to its claim: remove it'];
  if (writer.resources?.ephemeralStorage) {
    return [`${writer.prop}.ephemeralStorage conflicts with scratchSpace: with an S3 target the ephemeral storage of the container writing the dump comes from scratchSpace; remove ${writer.prop}.ephemeralStorage and set scratchSpace`];
  }
  return [];
}

/**
 * The resources of the container writing the scratch emptyDir: it requests the scratch space and
 * may use `JOB_DEFAULTS.scratchHeadroom` more (its logs and /tmp count too), so the emptyDir's
 * sizeLimit, not the container limit, is what a too-large dump hits first.
 */
export function withScratchSpace(resources: kplus.ContainerResources | undefined, gibibytes: number): kplus.ContainerResources {
  const headroom = JOB_DEFAULTS.scratchHeadroom.toGibibytes();
  return {
    ...(resources ?? presetResources(ResourcePreset.SMALL)),
    ephemeralStorage: { request: Size.gibibytes(gibibytes), limit: Size.gibibytes(gibibytes + headroom) },
  };
}

/** One container of a backup or restore pod: it runs one of the scripts with /bin/sh. */
export interface ScriptContainer {
  readonly name: string;
  readonly image: string;
  /** The script (a ConfigMap key) the container runs. */
  readonly script: string;
  readonly env: Record<string, kplus.EnvValue>;
  /** @default - ResourcePreset.SMALL */
  readonly resources?: kplus.ContainerResources;
  /** @default false */
  readonly init?: boolean;
  /** The prop to name in errors about the image and resources. */
  readonly prop: string;
}

/** The Job builder's container for a script container: every container of the pod gets explicit resources. */
export function jobContainer(c: ScriptContainer): JobContainer {
  return {
    name: c.name,
    image: c.image,
    command: ['/bin/sh', `${SCRIPTS_DIR}/${c.script}`],
    env: c.env,
    resources: c.resources ?? presetResources(ResourcePreset.SMALL),
    init: c.init,
    prop: c.prop,
  };
}

/** The volume the dumps live on: the target's claim, or an emptyDir of `scratchGibibytes` shared with the S3 container. */
export function dumpVolume(scope: Construct, target: BackupTarget, claim: kplus.IPersistentVolumeClaim | undefined, scratchGibibytes?: number): kplus.Volume {
  if (target.isVolume) return kplus.Volume.fromPersistentVolumeClaim(scope, 'dumps-volume', claim!, { name: 'dumps' });
  return kplus.Volume.fromEmptyDir(scope, 'dumps-volume', 'dumps', { sizeLimit: scratchGibibytes ? Size.gibibytes(scratchGibibytes) : undefined });
}

/** Mounts scripts, dumps and writable paths: database-image containers and AWS CLI containers differ. */
export function mountVolumes(scope: Construct, options: {
  scripts: kplus.ConfigMap;
  dumps: kplus.Volume;
  dumpsReadOnly: boolean;
  source: IBackupSource;
  databaseContainers: kplus.Container[];
  transferContainers: kplus.Container[];
  /** Containers that never touch the dumps (the wait container). */
  withoutDumps?: kplus.Container[];
  /** The S3 target: its credentials Secret is mounted read-only into the transfer containers. */
  s3?: ResolvedS3Target;
}): void {
  const all = [...options.databaseContainers, ...options.transferContainers];
  const scripts = kplus.Volume.fromConfigMap(scope, 'scripts-volume', options.scripts, { name: 'scripts', defaultMode: 0o555 });
  for (const c of all) c.mount(SCRIPTS_DIR, scripts, { readOnly: true });
  for (const c of options.databaseContainers) {
    if (!options.withoutDumps?.includes(c)) c.mount(BACKUP_DIR, options.dumps, { readOnly: options.dumpsReadOnly });
  }
  // The upload/download containers always write (download) or read the emptyDir.
  for (const c of options.transferContainers) c.mount(BACKUP_DIR, options.dumps);
  mountWritablePaths(scope, options.databaseContainers, options.source.writablePaths);
  if (options.s3) {
    const credentials = s3CredentialsVolume(scope, options.s3);
    for (const c of options.transferContainers) c.mount(S3_CREDENTIALS_DIR, credentials, { readOnly: true });
  }
  if (options.transferContainers.length > 0) {
    mountWritablePaths(scope, options.transferContainers, [
      { path: AWS_HOME, volumeName: 'aws-home' },
      { path: '/tmp', volumeName: 'aws-tmp' },
    ]);
  }
}

/**
 * The credentials Secret as two files named like S3_SECRET_KEYS, whatever its keys are. Mode 0440:
 * the pod's fsGroup owns them (the files are the Secret's only copy in the pod).
 */
function s3CredentialsVolume(scope: Construct, s3: ResolvedS3Target): kplus.Volume {
  return kplus.Volume.fromSecret(scope, 's3-credentials-volume', s3.credentialsSecret, {
    name: 's3-credentials',
    defaultMode: 0o440,
    items: {
      [s3.accessKeyIdKey]: { path: S3_SECRET_KEYS.accessKeyId },
      [s3.secretAccessKeyKey]: { path: S3_SECRET_KEYS.secretAccessKey },
    },
  });
}

/**
 * The pod's NetworkPolicy: no inbound traffic; outbound only to the databases' pods on their
 * port, DNS, and (S3) the endpoint port in the allowed networks.
 */
export function createJobNetworkPolicy(scope: Construct, name: string, podLabels: Record<string, string>, sources: IBackupSource[], s3: ResolvedS3Target | undefined): k8s.KubeNetworkPolicy {
  const egress: TrafficRule[] = sources.map((s) => ({ peers: [NetworkPeer.pods(s.serverSelectorLabels)], ports: [s.port] }));
  if (s3) egress.push({ peers: s3.allowedCidrs.map((c) => NetworkPeer.cidr(c)), ports: [s3.port] });
  return createNetworkPolicy(scope, 'network-policy', { name, selectorLabels: podLabels, ingress: [], egress });
}

/** Throws one error listing every problem, when there are any. */
export function throwProblems(scope: IConstruct, problems: string[]): void {
  if (problems.length > 0) throw new ConflictingPropsError(scope, problems);
}

/** The props both backup jobs share, as a JavaScript or jsii caller may pass them. */
interface BackupJobTypes {
  readonly name?: unknown; readonly partOf?: unknown; readonly suspend?: unknown; readonly networkPolicy?: unknown; readonly backoffLimit?: unknown;
  readonly activeDeadline?: unknown; readonly ttlAfterFinished?: unknown; readonly scratchSpace?: unknown;
}

/** Types TypeScript checks but JavaScript and jsii callers may get wrong (a TypeError later, or YAML that never runs). */
export function checkBackupJobTypes(scope: IConstruct, props: BackupJobTypes): void {
  for (const prop of ['name', 'partOf'] as const) checkType(scope, prop, props[prop], PropType.STRING);
  for (const prop of ['suspend', 'networkPolicy'] as const) checkType(scope, prop, props[prop], PropType.BOOLEAN);
  checkType(scope, 'backoffLimit', props.backoffLimit, PropType.NUMBER);
  for (const prop of ['activeDeadline', 'ttlAfterFinished'] as const) checkType(scope, prop, props[prop], PropType.DURATION);
  checkType(scope, 'scratchSpace', props.scratchSpace, PropType.SIZE);
}
