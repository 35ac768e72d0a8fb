import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { JOB_DEFAULTS, JobLifecycleDefaults } from '../defaults/jobs';
import { ImageUser, WritablePath } from '../defaults/security';
import { jobNameProblem } from '../kube/names';
import { checkConstructId, checkEnum, checkType, PropKeys, PropType, rejectUnknownProps } from '../defaults/props';
import { labelValueProblem } from '../defaults/labels';
import { validateVariableReferences } from './env-refs';
import { PodFailurePolicy } from './failure-policy';
import { JobBuilder, JobRestartPolicy, validateUser } from './job-builder';
import { JOB_COMPLETION_INDEX_ANNOTATION, JOB_COMPLETION_INDEX_ENV, JobPattern, JobPatternKind } from './job-pattern';

/** An init container of a Job's pod; it runs as the pod's user with the restricted security context. */
export interface JobInitContainer {
  /** Container name (a DNS label, unique in the pod). */
  readonly name: string;
  /** A pinned image. */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's cmd */
  readonly args?: string[];
  /** @default - none */
  readonly env?: { [name: string]: kplus.EnvValue };
  /** @default - ResourcePreset.MICRO */
  readonly resources?: kplus.ContainerResources;
}

/** What every Job of this family takes: the container, its limits and the Job's lifecycle. */
export interface JobRunOptions {
  /**
   * The Job name (a DNS label; the longest pod name, `<name>[-<index>]-xxxxx`, must fit 63 characters).
   * @default - the construct id
   */
  readonly name?: string;
  /** The image, pinned by tag or digest. */
  readonly image: string;
  /** `$(VAR)` references must name an env var of the container. @default - the image's entrypoint */
  readonly command?: string[];
  /** `$(VAR)` references must name an env var of the container. @default - the image's cmd */
  readonly args?: string[];
  /** @default - only the env vars the pattern adds */
  readonly env?: { [name: string]: kplus.EnvValue };
  /** @default - ResourcePreset.SMALL (250m / 256Mi requested, 500m / 512Mi limit) */
  readonly resources?: kplus.ContainerResources;
  /** The image's numeric user and group. @default - uid and gid 65532 */
  readonly user?: ImageUser;
  /** Failed pods retried before the Job fails (across all indexes of an Indexed Job). @default 6 */
  readonly backoffLimit?: number;
  /** How long the Job may run in total before it is failed; wins over backoffLimit. @default Duration.hours(1) */
  readonly activeDeadline?: Duration;
  /** How long a finished Job (and its pods and logs) is kept. @default Duration.days(1) */
  readonly ttlAfterFinished?: Duration;
  /** @default JobRestartPolicy.NEVER */
  readonly restartPolicy?: JobRestartPolicy;
  /** @default - none: every failure counts toward backoffLimit */
  readonly podFailurePolicy?: PodFailurePolicy;
  /** Init containers that run before the main container. @default - none */
  readonly initContainers?: JobInitContainer[];
  /** emptyDirs for the paths the process writes (the root filesystem is read-only). @default - /tmp */
  readonly writablePaths?: WritablePath[];
  /** Create the Job suspended (no pods until `spec.suspend` is set to false). @default false */
  readonly suspend?: boolean;
  /** The main container's name. @default 'main' */
  readonly containerName?: string;
  /** `app.kubernetes.io/name`. @default - the Job name */
  readonly appName?: string;
  /** `app.kubernetes.io/component`. @default 'batch' */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - the Job name */
  readonly partOf?: string;
  /**
   * Extra labels on the pods, e.g. a database's `clientLabels` so its NetworkPolicy admits them.
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
}

/** A Job of one of the four patterns. */
export interface BatchJobProps extends JobRunOptions {
  /** How pods are counted, e.g. `JobPattern.indexed({ completions: 100, parallelism: 10 })`. */
  readonly pattern: JobPattern;
}

/** The props of a BatchJob; the compiler keeps the list complete. */
const BATCH_JOB_PROP_KEYS: PropKeys<BatchJobProps> = {
  pattern: true, name: true, image: true, command: true, args: true, env: true, resources: true, user: true, backoffLimit: true,
  activeDeadline: true, ttlAfterFinished: true, restartPolicy: true, podFailurePolicy: true, initContainers: true, writablePaths: true,
  suspend: true, containerName: true, appName: true, component: true, partOf: true, podLabels: true,
};

/** Types TypeScript checks but JavaScript and jsii callers may get wrong (a wrong one would be a TypeError, or YAML that never runs). */
function checkJobPropTypes(scope: Construct, props: BatchJobProps): void {
  if (!(props.pattern instanceof JobPattern)) {
    throw new ConfigurationError(scope, 'pattern', 'must be a JobPattern', props.pattern, 'Pass e.g. JobPattern.singleRun() or JobPattern.indexed({ completions: 10 }).');
  }
  for (const prop of ['image', 'name', 'containerName', 'appName', 'component', 'partOf'] as const) checkType(scope, prop, props[prop], PropType.STRING);
  if (props.image === undefined) throw new ConfigurationError(scope, 'image', 'is required', undefined, 'Pass a pinned image, e.g. "busybox:1.36".');
  checkType(scope, 'backoffLimit', props.backoffLimit, PropType.NUMBER);
  checkType(scope, 'suspend', props.suspend, PropType.BOOLEAN);
  checkType(scope, 'activeDeadline', props.activeDeadline, PropType.DURATION);
  checkType(scope, 'ttlAfterFinished', props.ttlAfterFinished, PropType.DURATION);
  checkEnum(scope, 'restartPolicy', props.restartPolicy, JobRestartPolicy, 'JobRestartPolicy');
  for (const prop of ['appName', 'component', 'partOf'] as const) {
    const value = props[prop];
    const problem = value === undefined ? undefined : labelValueProblem(value);
    if (problem) throw new ConfigurationError(scope, prop, `${problem} (it becomes a label value)`, value, 'Use a short name of letters, digits, "-", "_" or ".".');
  }
  const names = [props.containerName ?? 'main', ...(props.initContainers ?? []).map((c) => c.name)];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new ConfigurationError(scope, 'initContainers', 'repeat a container name of the pod', duplicate, 'Give every container of the pod its own name.');
}

/**
 * A Job with production settings: explicit backoffLimit, activeDeadlineSeconds,
 * ttlSecondsAfterFinished and restartPolicy; explicit resources; the restricted security
 * context with a read-only root filesystem; the recommended labels on the Job and its pods.
 * Jobs generate their own selector: none is written (a Job with a selector needs
 * `manualSelector`, which we never want), and cdk8s-plus's path label is removed from the pods.
 */
export class BatchJob extends Construct {
  /** The cdk8s-plus Job; reach its L1 object with `ApiObject.of(job)`. */
  public readonly job: kplus.Job;
  /** The main container. */
  public readonly container: kplus.Container;
  /** The Job name. */
  public readonly jobName: string;
  /** The pattern the Job follows. */
  public readonly pattern: JobPattern;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    checkConstructId(scope, id);
    super(scope, id);
    rejectUnknownProps(this, props, { ...BATCH_JOB_PROP_KEYS, ...this._extraPropKeys() }, `${this.constructor.name}Props`);
    checkJobPropTypes(this, props);
    this.pattern = props.pattern;
    this.pattern.validate(this, 'pattern');
    const user = props.user ?? JOB_DEFAULTS.user;
    validateUser(this, user);

    const builder = new JobBuilder(this, {
      ...props,
      // Named after the construct id, never a generated hash (it would end up in the labels too).
      name: props.name ?? id,
      user,
      defaults: this._lifecycleDefaults(),
      identity: (jobName) => ({ name: props.appName ?? jobName, instance: jobName, component: props.component ?? 'batch', partOf: props.partOf }),
    });
    this.job = builder.workload as kplus.Job;
    this.jobName = builder.name;
    const podNameProblem = jobNameProblem(this.jobName, this.pattern.kind === JobPatternKind.INDEXED ? (this.pattern.completions ?? 1) - 1 : undefined);
    if (podNameProblem) {
      const prop = props.name === undefined ? 'name (the construct id)' : 'name';
      throw new ConfigurationError(this, prop, podNameProblem, this.jobName, 'Pass a `name` of lowercase letters, digits and "-" that leaves room for the pod name suffixes.');
    }

    this.container = builder.addContainer(user, { prop: '', name: props.containerName ?? 'main', image: props.image, command: props.command, args: props.args, env: this.mainEnv(props), resources: props.resources });
    for (const init of props.initContainers ?? []) {
      const prop = `initContainers[${init.name}]`;
      this.checkReferences(`${prop}.`, init, Object.keys(init.env ?? {}));
      builder.addContainer(user, { ...init, prop, init: true });
    }
    builder.mountWritablePaths([this.container], props.writablePaths ?? [{ path: '/tmp', volumeName: 'tmp' }]);
    builder.finish({
      completions: this.pattern.completions,
      parallelism: this.pattern.parallelism,
      completionMode: this.pattern.completionMode,
      podFailurePolicy: props.podFailurePolicy?.bind(this, {
        restartPolicy: builder.restartPolicy,
        containerNames: [...this.job.containers, ...this.job.initContainers].map((c) => c.name),
      }),
      suspend: props.suspend ? true : undefined,
    });
  }

  /**
   * Props of a subclass, besides BatchJobProps (MigrationJob's): unknown keys are errors.
   * @internal
   */
  protected _extraPropKeys(): Record<string, true> {
    return {};
  }

  /**
   * The lifecycle defaults of this kind of Job (MigrationJob overrides them).
   * @internal
   */
  protected _lifecycleDefaults(): JobLifecycleDefaults {
    return JOB_DEFAULTS.batch;
  }

  /** The main container's env: the user's plus what the pattern provides, which the user may not redefine. */
  private mainEnv(props: BatchJobProps): { [name: string]: kplus.EnvValue } {
    const env = props.env ?? {};
    const reserved = this.pattern.envNames();
    const clash = Object.keys(env).find((name) => reserved.includes(name));
    if (clash) throw new ConfigurationError(this, `env.${clash}`, `is set by the ${this.pattern.kind} pattern`, clash, 'Read the value the pattern provides, or rename your variable.');
    const patternEnv: { [name: string]: kplus.EnvValue } = {};
    if (this.pattern.kind === JobPatternKind.INDEXED) {
      patternEnv[JOB_COMPLETION_INDEX_ENV] = kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_ANNOTATION, { key: JOB_COMPLETION_INDEX_ANNOTATION });
    }
    for (const [name, value] of Object.entries(this.pattern.literalEnv())) patternEnv[name] = kplus.EnvValue.fromValue(value);
    const all = { ...env, ...patternEnv };
    this.checkReferences('', props, Object.keys(all));
    return all;
  }

  private checkReferences(prefix: string, container: { command?: string[]; args?: string[] }, declared: string[]): void {
    validateVariableReferences(this, `${prefix}command`, container.command ?? [], declared);
    validateVariableReferences(this, `${prefix}args`, container.args ?? [], declared);
  }
}
