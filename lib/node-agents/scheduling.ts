/**
 * Which nodes a node agent runs on: taint tolerations, node selector and node affinity.
 * Typed here so a misspelt operator or effect is a compile error, and validated so what the API
 * server would reject is a ConfigurationError naming the prop.
 */
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { labelKeyProblem, labelValueProblem } from '../defaults/labels';
import { ConfigurationError } from '../errors';

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** Matches any value of the key (or, without a key, every taint). */
  EXISTS = 'Exists',
  /** Matches the key with exactly this value. */
  EQUAL = 'Equal',
}

/** One toleration, as in the pod spec. */
export interface NodeToleration {
  /**
   * The taint key. Without a key the operator must be EXISTS: it then tolerates every taint.
   * @default - every key (tolerationOperator EXISTS only)
   */
  readonly key?: string;
  /** @default TolerationOperator.EQUAL (the Kubernetes default) */
  readonly tolerationOperator?: TolerationOperator;
  /**
   * The taint value to match with EQUAL. Must be empty with EXISTS.
   * @default - empty
   */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: TaintEffect;
  /**
   * How long a pod stays on a node after a NO_EXECUTE taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** The control-plane taints: the current key and the one clusters before 1.24 still use. */
const CONTROL_PLANE_TAINT_KEYS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Which taints a node agent tolerates before any user tolerations are added. */
export class TaintTolerance {
  /** Control-plane nodes too (NoSchedule taints of both control-plane keys). The default for log agents. */
  public static controlPlane(): TaintTolerance {
    return new TaintTolerance(CONTROL_PLANE_TAINT_KEYS.map((key) => ({ key, tolerationOperator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE })));
  }
  /** Every taint (`operator: Exists` with no key): the agent runs on every node, whatever is tainted. */
  public static all(): TaintTolerance {
    return new TaintTolerance([{ tolerationOperator: TolerationOperator.EXISTS }]);
  }
  /** No built-in toleration: only untainted nodes (plus whatever `tolerations` adds). */
  public static none(): TaintTolerance {
    return new TaintTolerance([]);
  }
  /** @param tolerations The tolerations it stands for, in the pod-spec order. */
  private constructor(public readonly tolerations: NodeToleration[]) {}
}

/** Rejects what the API server rejects in a toleration. */
export function validateToleration(scope: IConstruct, prop: string, t: NodeToleration): void {
  const operator = t.tolerationOperator ?? TolerationOperator.EQUAL;
  if (!t.key && operator !== TolerationOperator.EXISTS) {
    throw new ConfigurationError(scope, prop, 'has neither a key nor tolerationOperator EXISTS', t, 'Set a key, or use tolerationOperator TolerationOperator.EXISTS without a key to tolerate every taint.');
  }
  if (t.key) {
    const problem = labelKeyProblem(t.key);
    if (problem) throw new ConfigurationError(scope, `${prop}.key`, problem, t.key, 'Use a taint key such as "dedicated" or "example.com/gpu".');
  }
  if (operator === TolerationOperator.EXISTS && t.value) {
    throw new ConfigurationError(scope, `${prop}.value`, 'must be empty with tolerationOperator EXISTS', t.value, 'Drop the value, or use tolerationOperator EQUAL.');
  }
  if (t.value) {
    const problem = labelValueProblem(t.value);
    if (problem) throw new ConfigurationError(scope, `${prop}.value`, problem, t.value, 'Use a valid taint value.');
  }
  if (t.tolerationSeconds !== undefined && (t.effect !== TaintEffect.NO_EXECUTE || !Number.isInteger(t.tolerationSeconds))) {
    throw new ConfigurationError(scope, `${prop}.tolerationSeconds`, 'needs effect NO_EXECUTE and whole seconds', t.tolerationSeconds, 'Set effect TaintEffect.NO_EXECUTE or drop tolerationSeconds.');
  }
}

/** The pod-spec form of a toleration. */
export function toKubeToleration(t: NodeToleration): k8s.Toleration {
  return {
    ...(t.key ? { key: t.key } : {}),
    operator: t.tolerationOperator ?? TolerationOperator.EQUAL,
    ...(t.value ? { value: t.value } : {}),
    ...(t.effect ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  };
}

/** A node-label condition of node affinity. */
export class NodeExpression {
  /** The label has one of the values, e.g. `NodeExpression.isIn('node.kubernetes.io/instance-type', ['m5.large'])`. */
  public static isIn(key: string, values: string[]): NodeExpression {
    return new NodeExpression(key, 'In', values);
  }
  /** The label has none of the values (or is absent). */
  public static notIn(key: string, values: string[]): NodeExpression {
    return new NodeExpression(key, 'NotIn', values);
  }
  /** The label is present, whatever its value. */
  public static exists(key: string): NodeExpression {
    return new NodeExpression(key, 'Exists', []);
  }
  /** The label is absent. */
  public static doesNotExist(key: string): NodeExpression {
    return new NodeExpression(key, 'DoesNotExist', []);
  }
  private constructor(private readonly key: string, private readonly matchOperator: string, private readonly values: string[]) {}

  /** @internal */
  public _validate(scope: IConstruct, prop: string): void {
    const keyProblem = labelKeyProblem(this.key);
    if (keyProblem) throw new ConfigurationError(scope, `${prop}.key`, keyProblem, this.key, 'Use a node label key such as "node.kubernetes.io/instance-type".');
    if ((this.matchOperator === 'In' || this.matchOperator === 'NotIn') && this.values.length === 0) {
      throw new ConfigurationError(scope, `${prop}.values`, `must not be empty with ${this.matchOperator}`, this.values, 'List at least one value, or use NodeExpression.exists().');
    }
    for (const value of this.values) {
      const problem = labelValueProblem(value);
      if (problem) throw new ConfigurationError(scope, `${prop}.values`, problem, value, 'Use valid label values such as "m5.large".');
    }
  }

  /**
   * The pod-spec form.
   * @internal
   */
  public _toKube(): k8s.NodeSelectorRequirement {
    return { key: this.key, operator: this.matchOperator, ...(this.values.length > 0 ? { values: [...this.values] } : {}) };
  }
}

/** Node affinity: a hard requirement, or a weighted preference. */
export class NodeAffinity {
  /** Pods only go to nodes matching every expression. */
  public static required(...expressions: NodeExpression[]): NodeAffinity {
    return new NodeAffinity(true, 0, expressions);
  }
  /** Pods prefer nodes matching every expression; `weight` 1-100 ranks preferences. */
  public static preferred(weight: number, ...expressions: NodeExpression[]): NodeAffinity {
    return new NodeAffinity(false, weight, expressions);
  }
  /**
   * The pod-spec affinity of several NodeAffinity values: required expressions are ANDed into one
   * node selector term (several terms would be ORed); each preference is its own weighted term.
   * @internal
   */
  public static _toKube(affinities: NodeAffinity[]): k8s.Affinity | undefined {
    const required = affinities.filter((a) => a.isRequired).flatMap((a) => a.expressions.map((e) => e._toKube()));
    const preferred = affinities.filter((a) => !a.isRequired).map((a) => ({ weight: a.weight, preference: { matchExpressions: a.expressions.map((e) => e._toKube()) } }));
    if (required.length === 0 && preferred.length === 0) return undefined;
    return {
      nodeAffinity: {
        ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: required }] } } : {}),
        ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
      },
    };
  }

  private constructor(private readonly isRequired: boolean, private readonly weight: number, private readonly expressions: NodeExpression[]) {}

  /** @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.expressions.length === 0) throw new ConfigurationError(scope, prop, 'has no expressions', [], 'Pass at least one NodeExpression.');
    if (!this.isRequired && (!Number.isInteger(this.weight) || this.weight < 1 || this.weight > 100)) {
      throw new ConfigurationError(scope, `${prop}.weight`, 'must be an integer 1-100', this.weight, 'Use e.g. NodeAffinity.preferred(50, ...).');
    }
    this.expressions.forEach((e, i) => e._validate(scope, `${prop}.expressions[${i}]`));
  }
}
