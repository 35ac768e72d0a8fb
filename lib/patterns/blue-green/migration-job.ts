/**
 * One suspended migration Job of a BlueGreenDatabase, built with the library's Job builder: wait
 * init containers for each database it talks to (the engine's readiness check, as RestoreJob
 * does), then the step's script from the shared scripts ConfigMap.
 */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { wholeSeconds } from '../../defaults/checks';
import { BLUE_GREEN_DEFAULTS } from '../../defaults/blue-green';
import { presetResources, ResourcePreset } from '../../defaults/resources';
import { ImageUser, mountWritablePaths } from '../../defaults/security';
import { jobNameProblem } from '../../kube/names';
import { IBackupSource } from '../../databases/backup-contract';
import { JobBuilder, JobRestartPolicy } from '../../batch/job-builder';
import { createJobNetworkPolicy } from '../../scheduled/backup-pod';

/** A database a step talks to, with the env its containers connect with. */
export interface StepDatabase {
  /** The role in the step, for container names: `source` or `target` (or the color). */
  readonly role: string;
  readonly source: IBackupSource;
}

/** One container of the step after the waits. */
export interface StepContainer {
  readonly name: string;
  readonly image: string;
  /** A script of the scripts ConfigMap, run with /bin/sh (or `command`). */
  readonly script?: string;
  /** The user's own command instead of a script. */
  readonly command?: string[];
  readonly args?: string[];
  readonly env: Record<string, kplus.EnvValue>;
  readonly init?: boolean;
  /** Mount the dump emptyDir. */
  readonly workDir?: boolean;
  /** Mount each database's password file (see MigrationStepOptions.passwordFiles). */
  readonly passwordFiles?: boolean;
  /** @default - ResourcePreset.SMALL */
  readonly resources?: kplus.ContainerResources;
  /** @default - the source database image's user */
  readonly user?: ImageUser;
  /** The prop named in errors about the container. @default 'strategy' */
  readonly prop?: string;
}

/** A database password as a file: the Secret's key mounted at `<dir>/password`. */
export interface StepPasswordFile {
  readonly role: string;
  readonly secret: kplus.ISecret;
  readonly key: string;
  readonly dir: string;
}

export interface MigrationStepOptions {
  readonly name: string;
  readonly instance: string;
  readonly step: string;
  readonly scripts: kplus.ConfigMap;
  readonly databases: StepDatabase[];
  readonly containers: StepContainer[];
  /** The pods' client labels: both clusters admit them. */
  readonly clientLabels: Record<string, string>;
  readonly waitTimeout?: Duration;
  readonly activeDeadline?: Duration;
  readonly ttlAfterFinished?: Duration;
  readonly suspend: boolean;
  readonly partOf?: string;
  readonly annotations: Record<string, string>;
  /** @default - none */
  readonly passwordFiles?: StepPasswordFile[];
}

export class MigrationStepJob extends Construct {
  public readonly job: kplus.Job;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, options: MigrationStepOptions) {
    super(scope, id);
    const problem = jobNameProblem(options.name);
    if (problem) throw new ConfigurationError(scope, 'name', `gives the ${options.step} Job the name "${options.name}", which ${problem}`, options.name, 'Pass a shorter `name`.');
    const user = options.databases[0].source.user;
    const builder = new JobBuilder(this, {
      name: options.name,
      activeDeadline: options.activeDeadline,
      ttlAfterFinished: options.ttlAfterFinished,
      user,
      defaults: BLUE_GREEN_DEFAULTS.jobs,
      restartPolicy: JobRestartPolicy.NEVER,
      identity: () => ({ name: `${options.databases[0].source.engine}-migration`, instance: options.name, component: options.step, partOf: options.partOf ?? options.instance }),
      podLabels: options.clientLabels,
    });
    this.job = builder.workload as kplus.Job;
    const waitSeconds = wholeSeconds(scope, 'waitTimeout', options.waitTimeout ?? BLUE_GREEN_DEFAULTS.waitTimeout, 1, 'Use e.g. Duration.minutes(10).');
    const scriptsDir = kplus.EnvValue.fromValue(BLUE_GREEN_DEFAULTS.scriptsDir);
    const waits = options.databases.map((db) => builder.addContainer(user, {
      name: `wait-for-${db.role}`,
      image: db.source.image,
      command: ['/bin/sh', `${BLUE_GREEN_DEFAULTS.scriptsDir}/wait-for-database.sh`],
      env: {
        ...db.source.connectionEnv(),
        SCRIPTS_DIR: scriptsDir,
        WAIT_TARGET: kplus.EnvValue.fromValue(`${db.source.host}:${db.source.port}`),
        WAIT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(waitSeconds)),
      },
      resources: presetResources(ResourcePreset.MICRO),
      init: true,
      prop: db.role,
    }));
    const steps = options.containers.map((c) => builder.addContainer(c.user ?? user, {
      name: c.name,
      image: c.image,
      command: c.command ?? ['/bin/sh', `${BLUE_GREEN_DEFAULTS.scriptsDir}/${c.script}`],
      args: c.args,
      env: { SCRIPTS_DIR: scriptsDir, ...c.env },
      resources: c.resources ?? presetResources(ResourcePreset.SMALL),
      init: c.init,
      prop: c.prop ?? 'strategy',
    }));
    const all = [...waits, ...steps];
    const scripts = kplus.Volume.fromConfigMap(this, 'scripts-volume', options.scripts, { name: 'scripts', defaultMode: 0o555 });
    for (const c of all) c.mount(BLUE_GREEN_DEFAULTS.scriptsDir, scripts, { readOnly: true });
    const withWork = steps.filter((_, i) => options.containers[i].workDir);
    if (withWork.length > 0) {
      const work = kplus.Volume.fromEmptyDir(this, 'work-volume', 'migration');
      for (const c of withWork) c.mount(BLUE_GREEN_DEFAULTS.workDir, work);
    }
    const withPasswords = steps.filter((_, i) => options.containers[i].passwordFiles);
    for (const file of withPasswords.length > 0 ? options.passwordFiles ?? [] : []) {
      // Mode 0440: the pod's fsGroup reads it; the file is the password's only copy in the pod.
      const volume = kplus.Volume.fromSecret(this, `${file.role}-password-volume`, file.secret, { name: `${file.role}-password`, defaultMode: 0o440, items: { [file.key]: { path: 'password' } } });
      for (const c of withPasswords) c.mount(file.dir, volume, { readOnly: true });
    }
    mountWritablePaths(this, all, options.databases[0].source.writablePaths);
    this.networkPolicy = createJobNetworkPolicy(this, options.name, builder.selectorLabels, options.databases.map((d) => d.source), undefined);
    for (const [key, value] of Object.entries(options.annotations)) ApiObject.of(this.job).metadata.addAnnotation(key, value);
    builder.finish({ suspend: options.suspend ? true : undefined });
  }
}
