/** The PodDisruptionBudget cdk8s-plus-27 lacks, as a typed L1 object. */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** A PodDisruptionBudget: exactly one of minAvailable or maxUnavailable (defaults/disruption.ts checks it). */
export interface PodDisruptionBudgetSpec {
  /** @default - a name derived from the construct path */
  readonly name?: string;
  readonly selectorLabels: Record<string, string>;
  /** @default - unset */
  readonly minAvailable?: k8s.IntOrString;
  /** @default - unset */
  readonly maxUnavailable?: k8s.IntOrString;
}

export function createPodDisruptionBudget(scope: Construct, id: string, spec: PodDisruptionBudgetSpec): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    ...(spec.name ? { metadata: { name: spec.name } } : {}),
    spec: {
      selector: { matchLabels: { ...spec.selectorLabels } },
      ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
      ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
    },
  });
}
