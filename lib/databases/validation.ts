import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { dnsLabelProblem, serviceNameProblem } from '../kube/names';
import type { ReplicatedDatabaseProps } from './replicated-database';

/** The smallest volume we accept: below it WAL and a base backup do not fit. */
export const MIN_STORAGE = Size.gibibytes(1);

/**
 * The longest StatefulSet name that works: the controller labels every pod with
 * `controller-revision-hash: <name>-<10 characters>`, and label values allow 63.
 */
export const MAX_STATEFULSET_NAME = 52;

/** Validates what every replicated database accepts, before anything is built. */
export function validateDatabaseProps(scope: IConstruct, name: string, replicas: number, props: ReplicatedDatabaseProps): void {
  const conflicts: string[] = [];
  if (props.resources && props.resourcePreset) conflicts.push('resources and resourcePreset are both set: pass one of them');
  if (conflicts.length > 0) throw new ConflictingPropsError(scope, conflicts);

  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new ConfigurationError(scope, 'replicas', 'must be an integer >= 1', replicas, 'Use 1 for a single primary, 3 for a primary and two replicas.');
  }
  validateName(scope, name, replicas);
  const storage = props.storage ?? Size.gibibytes(10);
  const mebibytes = storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes)) {
    throw new ConfigurationError(scope, 'storage', 'must be a whole number of MiB', `${storage.toKibibytes()}Ki`, 'Use Size.gibibytes() or Size.mebibytes().');
  }
  if (mebibytes < MIN_STORAGE.toMebibytes()) {
    throw new ConfigurationError(scope, 'storage', 'is below the minimum of 1Gi', `${mebibytes}Mi`, 'Use at least Size.gibibytes(1).');
  }
  const partition = props.partition ?? 0;
  if (!Number.isInteger(partition) || partition < 0 || partition > replicas) {
    throw new ConfigurationError(scope, 'partition', `must be an integer from 0 to replicas (${replicas})`, partition,
      'Pods with an ordinal >= partition are updated; use 0 to update all, replicas - 1 to update one canary.');
  }
  const grace = props.terminationGracePeriod?.toSeconds();
  if (grace !== undefined && grace < 15) {
    throw new ConfigurationError(scope, 'terminationGracePeriod', 'must be at least 15 seconds for a clean database shutdown', `${grace}s`, 'Use Duration.seconds(60).');
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
