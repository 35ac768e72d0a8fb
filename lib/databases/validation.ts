import * as kplus from 'cdk8s-plus-27';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { DATABASE_DEFAULTS } from '../defaults/database';
import { DisruptionBudget } from '../defaults/disruption';
import { presetResources } from '../defaults/resources';
import { dnsLabelProblem, dnsSubdomainProblem, MAX_STATEFULSET_NAME, serviceNameProblem } from '../kube/names';
import { labelValueProblem } from '../defaults/labels';
import { PvcRetention } from '../kube/stateful-set';
import { ResourcePreset } from '../defaults/resources';
import { checkEnum, checkType, PropKeys, PropType, rejectUnknownProps } from '../defaults/props';
import type { DatabaseEngine } from './engine';
import type { ReplicatedDatabaseProps } from './replicated-database';

/** The props of a replicated database with every default applied (the only place they are applied). */
export interface ResolvedDatabaseProps {
  readonly name: string;
  readonly replicas: number;
  readonly storage: Size;
  readonly storageClassName?: string;
  readonly accessModes: kplus.PersistentVolumeAccessMode[];
  readonly pvcRetention: PvcRetention;
  readonly image: string;
  readonly resources: kplus.ContainerResources;
  readonly podManagementPolicy: kplus.PodManagementPolicy;
  readonly partition: number;
  readonly disruptionBudget: DisruptionBudget;
  readonly clientLabels: Record<string, string>;
  readonly terminationGracePeriod: Duration;
  readonly partOf?: string;
  readonly clusterDomain: string;
}

/** The props every database takes; the compiler keeps the list complete. */
const DATABASE_PROP_KEYS: PropKeys<ReplicatedDatabaseProps> = {
  replicas: true, storage: true, storageClassName: true, accessModes: true, pvcRetention: true, image: true, resourcePreset: true, resources: true,
  credentialsSecret: true, podManagementPolicy: true, partition: true, disruptionBudget: true, clientLabels: true, terminationGracePeriod: true,
  partOf: true, clusterDomain: true, metrics: true, metricsImage: true,
};

/**
 * Applies the defaults (DATABASE_DEFAULTS and the engine's) and validates the result. With
 * `ownPropKeys` (the subclass's own props), unknown keys are rejected with a did-you-mean.
 */
export function resolveDatabaseProps(scope: IConstruct, name: string, engine: DatabaseEngine, props: ReplicatedDatabaseProps, ownPropKeys?: string[]): ResolvedDatabaseProps {
  if (ownPropKeys) {
    rejectUnknownProps(scope, props, { ...DATABASE_PROP_KEYS, ...Object.fromEntries(ownPropKeys.map((k) => [k, true] as const)) }, `${scope.constructor.name}Props`);
  }
  checkTypes(scope, props);
  if (props.resources && props.resourcePreset) throw new ConflictingPropsError(scope, ['resources and resourcePreset are both set: pass one of them']);
  const resolved: ResolvedDatabaseProps = {
    name,
    replicas: props.replicas ?? DATABASE_DEFAULTS.replicas,
    storage: props.storage ?? DATABASE_DEFAULTS.storage,
    storageClassName: props.storageClassName,
    accessModes: props.accessModes ?? DATABASE_DEFAULTS.accessModes,
    pvcRetention: props.pvcRetention ?? DATABASE_DEFAULTS.pvcRetention,
    image: props.image ?? engine.defaultImage,
    resources: props.resources ?? presetResources(props.resourcePreset ?? engine.defaultResourcePreset),
    podManagementPolicy: props.podManagementPolicy ?? DATABASE_DEFAULTS.podManagementPolicy,
    partition: props.partition ?? DATABASE_DEFAULTS.partition,
    disruptionBudget: props.disruptionBudget ?? DATABASE_DEFAULTS.disruptionBudget,
    clientLabels: props.clientLabels ?? { [`${name}-client`]: 'true' },
    terminationGracePeriod: props.terminationGracePeriod ?? DATABASE_DEFAULTS.terminationGracePeriod,
    partOf: props.partOf,
    clusterDomain: props.clusterDomain ?? DATABASE_DEFAULTS.clusterDomain,
  };
  validate(scope, resolved, props.terminationGracePeriod !== undefined);
  return resolved;
}

/** Types TypeScript checks but JavaScript and jsii callers may get wrong. */
function checkTypes(scope: IConstruct, props: ReplicatedDatabaseProps): void {
  for (const prop of ['replicas', 'partition'] as const) checkType(scope, prop, props[prop], PropType.NUMBER);
  checkType(scope, 'storage', props.storage, PropType.SIZE);
  checkType(scope, 'terminationGracePeriod', props.terminationGracePeriod, PropType.DURATION);
  checkType(scope, 'metrics', props.metrics, PropType.BOOLEAN);
  for (const prop of ['image', 'storageClassName', 'partOf', 'clusterDomain', 'metricsImage'] as const) checkType(scope, prop, props[prop], PropType.STRING);
  checkEnum(scope, 'pvcRetention', props.pvcRetention, PvcRetention, 'PvcRetention');
  checkEnum(scope, 'podManagementPolicy', props.podManagementPolicy, kplus.PodManagementPolicy, 'PodManagementPolicy');
  checkEnum(scope, 'resourcePreset', props.resourcePreset, ResourcePreset, 'ResourcePreset');
  (props.accessModes ?? []).forEach((mode, i) => checkEnum(scope, `accessModes[${i}]`, mode, kplus.PersistentVolumeAccessMode, 'PersistentVolumeAccessMode'));
  if (props.accessModes !== undefined && (!Array.isArray(props.accessModes) || props.accessModes.length === 0)) {
    throw new ConfigurationError(scope, 'accessModes', 'must list at least one access mode', props.accessModes, 'Use [PersistentVolumeAccessMode.READ_WRITE_ONCE], or leave it out.');
  }
}

function validate(scope: IConstruct, props: ResolvedDatabaseProps, explicitGrace: boolean): void {
  const replicas = props.replicas;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new ConfigurationError(scope, 'replicas', 'must be an integer >= 1', replicas, 'Use 1 for a single primary, 3 for a primary and two replicas.');
  }
  validateName(scope, props.name, replicas);
  const mebibytes = props.storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes)) {
    throw new ConfigurationError(scope, 'storage', 'must be a whole number of MiB', `${props.storage.toKibibytes()}Ki`, 'Use Size.gibibytes() or Size.mebibytes().');
  }
  if (mebibytes < DATABASE_DEFAULTS.minimumStorage.toMebibytes()) {
    throw new ConfigurationError(scope, 'storage', 'is below the minimum of 1Gi', `${mebibytes}Mi`, 'Use at least Size.gibibytes(1).');
  }
  const partition = props.partition;
  if (!Number.isInteger(partition) || partition < 0 || partition > replicas) {
    throw new ConfigurationError(scope, 'partition', `must be an integer from 0 to replicas (${replicas})`, partition,
      'Pods with an ordinal >= partition are updated; use 0 to update all, replicas - 1 to update one canary.');
  }
  if (props.storageClassName !== undefined) {
    const classProblem = dnsSubdomainProblem(props.storageClassName);
    if (classProblem) throw new ConfigurationError(scope, 'storageClassName', classProblem, props.storageClassName, 'Use the name of a StorageClass as `kubectl get storageclass` lists it, e.g. "fast-ssd".');
  }
  if (props.partOf !== undefined) {
    const partOfProblem = labelValueProblem(props.partOf);
    if (partOfProblem) throw new ConfigurationError(scope, 'partOf', partOfProblem, props.partOf, 'Use a short name of letters, digits, "-", "_" or ".", e.g. "shop".');
  }
  const grace = props.terminationGracePeriod.toSeconds({ integral: false });
  if (!Number.isInteger(grace)) throw new ConfigurationError(scope, 'terminationGracePeriod', 'must be a whole number of seconds', `${grace}s`, 'Use Duration.seconds().');
  if (explicitGrace && grace < DATABASE_DEFAULTS.minimumGracePeriodSeconds) {
    throw new ConfigurationError(scope, 'terminationGracePeriod', `must be at least ${DATABASE_DEFAULTS.minimumGracePeriodSeconds} seconds for a clean database shutdown`, `${grace}s`, 'Use Duration.seconds(60).');
  }
}

function validateName(scope: IConstruct, name: string, replicas: number): void {
  const fix = `Use a shorter lowercase name (at most ${MAX_STATEFULSET_NAME} characters, starting with a letter).`;
  const problem = dnsLabelProblem(name, MAX_STATEFULSET_NAME);
  if (problem) throw new ConfigurationError(scope, 'name (the construct id)', problem, name, fix);
  const lastPod = `${name}-${replicas - 1}`;
  const podProblem = dnsLabelProblem(lastPod);
  if (podProblem) throw new ConfigurationError(scope, 'name (the construct id)', `makes pod name "${lastPod}" invalid: it ${podProblem}`, name, fix);
  for (const service of [`${name}-primary`, `${name}-read`, `${name}-hl`]) {
    const serviceProblem = serviceNameProblem(service);
    if (serviceProblem) throw new ConfigurationError(scope, 'name (the construct id)', `makes Service name "${service}" invalid: it ${serviceProblem}`, name, fix);
  }
}
