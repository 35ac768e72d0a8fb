import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { createPodDisruptionBudget } from '../kube/disruption-budget';

/** How many pods voluntary disruptions (drains, upgrades) may take down at once. */
export class DisruptionBudget {
  /** At most `pods` pods unavailable. */
  public static maxUnavailable(pods: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', pods, false);
  }
  /** At most `percent`% of the pods unavailable (rounded up by Kubernetes). */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', percent, true);
  }
  /** At least `pods` pods available. */
  public static minAvailable(pods: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', pods, false);
  }
  /** At least `percent`% of the pods available (rounded up by Kubernetes). */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', percent, true);
  }
  private constructor(
    /** `minAvailable` or `maxUnavailable`. */
    public readonly field: string,
    public readonly amount: number,
    public readonly isPercent: boolean,
  ) {}

  /** How the budget reads in YAML, e.g. `maxUnavailable: 1` or `minAvailable: 50%`. */
  public toString(): string {
    return `${this.field}: ${this.amount}${this.isPercent ? '%' : ''}`;
  }

  /** How many pods a drain may evict with `replicas` pods running. */
  public allowedDisruptions(replicas: number): number {
    const pods = this.isPercent ? Math.ceil((replicas * this.amount) / 100) : this.amount;
    return this.field === 'maxUnavailable' ? Math.min(pods, replicas) : Math.max(replicas - pods, 0);
  }

  /** The IntOrString for the PDB spec. */
  public toIntOrString(): k8s.IntOrString {
    return this.isPercent ? k8s.IntOrString.fromString(`${this.amount}%`) : k8s.IntOrString.fromNumber(this.amount);
  }
}

/** The production default: one pod at a time, which never blocks a drain. */
export const DEFAULT_DISRUPTION_BUDGET = DisruptionBudget.maxUnavailable(1);

export interface DisruptionBudgetOptions {
  /** @default - a name derived from the construct path */
  readonly name?: string;
  readonly replicas: number;
  readonly selectorLabels: Record<string, string>;
  /** @default DEFAULT_DISRUPTION_BUDGET */
  readonly budget?: DisruptionBudget;
  /** The prop name to put in errors. @default 'disruptionBudget' */
  readonly prop?: string;
}

/**
 * A PodDisruptionBudget that never blocks every drain: a budget that allows zero evictions makes
 * `kubectl drain` hang forever and stalls node upgrades, so it is an error here.
 */
export function createDisruptionBudget(scope: Construct, id: string, options: DisruptionBudgetOptions): k8s.KubePodDisruptionBudget {
  const budget = options.budget ?? DEFAULT_DISRUPTION_BUDGET;
  const prop = options.prop ?? 'disruptionBudget';
  if (!Number.isInteger(budget.amount) || budget.amount < 0 || (budget.isPercent && budget.amount > 100)) {
    throw new ConfigurationError(scope, prop, budget.isPercent ? 'must be a whole percentage 0-100' : 'must be a whole number >= 0', budget.toString(), 'Use e.g. DisruptionBudget.maxUnavailable(1).');
  }
  if (budget.allowedDisruptions(options.replicas) < 1) {
    throw new ConfigurationError(scope, prop, `would block every node drain with ${options.replicas} replica(s)`, budget.toString(),
      `Allow at least one eviction, e.g. DisruptionBudget.maxUnavailable(1)${options.replicas > 1 ? ` or minAvailable(${options.replicas - 1})` : ''}.`);
  }
  return createPodDisruptionBudget(scope, id, {
    name: options.name,
    selectorLabels: options.selectorLabels,
    ...(budget.field === 'minAvailable' ? { minAvailable: budget.toIntOrString() } : { maxUnavailable: budget.toIntOrString() }),
  });
}
