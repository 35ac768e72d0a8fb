import * as kplus from 'cdk8s-plus-27';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { DATABASE_DEFAULTS } from '../defaults/database';
import { DisruptionBudget } from '../defaults/disruption';
import { presetResources } from '../defaults/resources';
import { dnsLabelProblem, MAX_STATEFULSET_NAME, serviceNameProblem } from '../kube/names';
import { PvcRetention } from '../kube/stateful-set';
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

/** Applies the defaults (DATABASE_DEFAULTS and the engine's) and validates the result. */
export function resolveDatabaseProps(scope: IConstruct, name: string, engine: DatabaseEngine, props: ReplicatedDatabaseProps): ResolvedDatabaseProps {
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
  const grace = props.terminationGracePeriod.toSeconds();
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
