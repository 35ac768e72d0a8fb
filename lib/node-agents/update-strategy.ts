/** How a node agent's DaemonSet replaces its pods. */
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { DaemonSetRollingUpdate } from '../kube/daemon-set';

/** A number of nodes, or a percentage of them (rounded by Kubernetes). */
export class NodeCount {
  /** A number of nodes, e.g. `NodeCount.nodes(1)`. */
  public static nodes(count: number): NodeCount {
    return new NodeCount(count, false);
  }
  /** A whole percentage 0-100 of the nodes, e.g. `NodeCount.percent(10)`. */
  public static percent(percent: number): NodeCount {
    return new NodeCount(percent, true);
  }
  private constructor(private readonly amount: number, private readonly isPercent: boolean) {}

  /** How it reads in YAML: `1` or `"10%"`. */
  public toString(): string {
    return this.isPercent ? `${this.amount}%` : `${this.amount}`;
  }

  /**
   * The IntOrString for the spec (a raw '10%' or 0 would be dropped by the typed L1 object).
   * @internal
   */
  public _toIntOrString(): k8s.IntOrString {
    return this.isPercent ? k8s.IntOrString.fromString(`${this.amount}%`) : k8s.IntOrString.fromNumber(this.amount);
  }

  /** @internal */
  public get _isZero(): boolean {
    return this.amount === 0;
  }

  /** @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (!Number.isInteger(this.amount) || this.amount < 0 || (this.isPercent && this.amount > 100)) {
      throw new ConfigurationError(scope, prop, this.isPercent ? 'must be a whole percentage 0-100' : 'must be a whole number >= 0', this.toString(),
        'Use e.g. NodeCount.nodes(1) or NodeCount.percent(10).');
    }
  }
}

/** Bounds of a rolling update. */
export interface RollingUpdateOptions {
  /**
   * How many nodes may be without a ready agent during the update.
   * @default - NodeCount.nodes(1), or NodeCount.nodes(0) when maxSurge is set
   */
  readonly maxUnavailable?: NodeCount;
  /**
   * How many nodes may run an old and a new agent pod side by side (no gap in coverage; needs
   * the agent to tolerate two copies, e.g. no host port conflicts). Exactly one of maxUnavailable
   * and maxSurge must be non-zero.
   * @default NodeCount.nodes(0)
   */
  readonly maxSurge?: NodeCount;
}

/** The DaemonSet update strategy. */
export class AgentUpdateStrategy {
  /** Replace pods node by node within the bounds (the default: one node at a time). */
  public static rollingUpdate(options: RollingUpdateOptions = {}): AgentUpdateStrategy {
    const maxSurge = options.maxSurge ?? NodeCount.nodes(0);
    const maxUnavailable = options.maxUnavailable ?? (options.maxSurge ? NodeCount.nodes(0) : NodeCount.nodes(1));
    return new AgentUpdateStrategy(maxUnavailable, maxSurge);
  }
  /** Replace a pod only when someone deletes it (manual, node-by-node rollouts). */
  public static onDelete(): AgentUpdateStrategy {
    return new AgentUpdateStrategy(undefined, undefined);
  }
  /** Both bounds for RollingUpdate, neither for OnDelete. */
  private constructor(private readonly maxUnavailable: NodeCount | undefined, private readonly maxSurge: NodeCount | undefined) {}

  /**
   * Validates against the API rule (exactly one of maxUnavailable and maxSurge non-zero) and
   * returns the patch value, undefined for OnDelete.
   * @internal
   */
  public _bind(scope: IConstruct, prop: string): DaemonSetRollingUpdate | undefined {
    const { maxUnavailable, maxSurge } = this;
    if (!maxUnavailable || !maxSurge) return undefined;
    maxUnavailable._validate(scope, `${prop}.maxUnavailable`);
    maxSurge._validate(scope, `${prop}.maxSurge`);
    const got = `maxUnavailable ${maxUnavailable}, maxSurge ${maxSurge}`;
    if (maxUnavailable._isZero && maxSurge._isZero) {
      throw new ConfigurationError(scope, prop, 'has maxUnavailable and maxSurge both zero, so no pod could ever be replaced', got, 'Make exactly one of them non-zero, e.g. maxUnavailable NodeCount.nodes(1).');
    }
    if (!maxUnavailable._isZero && !maxSurge._isZero) {
      throw new ConfigurationError(scope, prop, 'has maxUnavailable and maxSurge both non-zero, which the API server rejects for a DaemonSet', got, 'Set maxUnavailable to NodeCount.nodes(0) when surging, or drop maxSurge.');
    }
    return { maxUnavailable: maxUnavailable._toIntOrString(), maxSurge: maxSurge._toIntOrString() };
  }
}
