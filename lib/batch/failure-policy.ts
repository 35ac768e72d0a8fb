import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { qualifiedNameProblem } from '../kube/names';

/** What a matching pod failure does to the Job. */
export enum PodFailureAction {
  /** Fail the whole Job at once and terminate its running pods: the error is permanent. */
  FAIL_JOB = 'FailJob',
  /** Do not count the failure toward backoffLimit; a replacement pod is created. */
  IGNORE = 'Ignore',
  /** Count the failure toward backoffLimit (the default handling; useful to stop later rules). */
  COUNT = 'Count',
}

/** How a rule's exit codes are matched. */
export enum ExitCodeOperator {
  /** Matches when a container exits with one of the codes. */
  IN = 'In',
  /** Matches when a container exits with a non-zero code that is not one of the codes. */
  NOT_IN = 'NotIn',
}

/** Options of an exit-code rule. */
export interface ExitCodeRuleOptions {
  /**
   * Only this container's exit code is checked (a container or init container of the pod).
   * @default - every container
   */
  readonly containerName?: string;
}

/** Where a policy is used: the API server's rules depend on the pod. */
export interface PodFailurePolicyContext {
  /** The pod's restartPolicy: a pod failure policy requires `Never`. */
  readonly restartPolicy: string;
  /** Names of the pod's containers and init containers (a rule's containerName must be one). */
  readonly containerNames: string[];
  /**
   * The prop to name in errors.
   * @default 'podFailurePolicy'
   */
  readonly prop?: string;
}

interface ExitCodeRule {
  readonly kind: 'exitCodes';
  readonly action: PodFailureAction;
  readonly operator: ExitCodeOperator;
  readonly values: number[];
  readonly containerName?: string;
}

interface ConditionRule {
  readonly kind: 'condition';
  readonly action: PodFailureAction;
  readonly conditionType: string;
}

type Rule = ExitCodeRule | ConditionRule;

/** API-server limits (pkg/apis/batch/validation). */
const MAX_RULES = 20;
const MAX_VALUES = 255;
/** The pod condition set when a pod is evicted, preempted or its node is drained (1.26+). */
const DISRUPTION_TARGET = 'DisruptionTarget';

/**
 * A Job's pod failure policy, built rule by rule. Rules are evaluated in the order they are
 * added and the first match wins; a failure no rule matches counts toward backoffLimit.
 *
 * ```ts
 * new PodFailurePolicy()
 *   .ignoreDisruptions()          // drains and preemptions do not use up retries
 *   .failJobOnExitCodes([42])     // 42 = bad input: retrying cannot help
 *   .ignoreExitCodes([75]);       // 75 = temporary failure: retry without counting it
 * ```
 *
 * The rules are checked against the API server's validation when a construct binds the policy
 * (restartPolicy Never, no exit code 0 with In, at most 20 rules and 255 unique codes per rule,
 * known container names), so the error names the construct. Exit codes are emitted sorted, as
 * the API requires.
 */
export class PodFailurePolicy {
  private readonly rules: Rule[] = [];

  /** Failures with these exit codes do not count toward backoffLimit (the pod is replaced). */
  public ignoreExitCodes(exitCodes: number[], options: ExitCodeRuleOptions = {}): PodFailurePolicy {
    return this.onExitCodes(PodFailureAction.IGNORE, ExitCodeOperator.IN, exitCodes, options);
  }

  /** Fail the whole Job as soon as a container exits with one of these codes (a permanent error). */
  public failJobOnExitCodes(exitCodes: number[], options: ExitCodeRuleOptions = {}): PodFailurePolicy {
    return this.onExitCodes(PodFailureAction.FAIL_JOB, ExitCodeOperator.IN, exitCodes, options);
  }

  /** Fail the whole Job on any non-zero exit code other than these (the retryable ones). */
  public failJobOnExitCodesOtherThan(retryableExitCodes: number[], options: ExitCodeRuleOptions = {}): PodFailurePolicy {
    return this.onExitCodes(PodFailureAction.FAIL_JOB, ExitCodeOperator.NOT_IN, retryableExitCodes, options);
  }

  /** Pods disrupted by evictions, preemption or node drains are replaced without counting toward backoffLimit. */
  public ignoreDisruptions(): PodFailurePolicy {
    return this.onPodCondition(PodFailureAction.IGNORE, DISRUPTION_TARGET);
  }

  /** Disrupted pods count toward backoffLimit like any failure (explicit, and stops later rules matching). */
  public countDisruptions(): PodFailurePolicy {
    return this.onPodCondition(PodFailureAction.COUNT, DISRUPTION_TARGET);
  }

  /** Any exit-code rule. */
  public onExitCodes(action: PodFailureAction, exitCodeOperator: ExitCodeOperator, exitCodes: number[], options: ExitCodeRuleOptions = {}): PodFailurePolicy {
    this.rules.push({ kind: 'exitCodes', action, operator: exitCodeOperator, values: [...exitCodes], containerName: options.containerName });
    return this;
  }

  /** Any pod-condition rule (status True), e.g. `DisruptionTarget`. */
  public onPodCondition(action: PodFailureAction, conditionType: string): PodFailurePolicy {
    this.rules.push({ kind: 'condition', action, conditionType });
    return this;
  }

  /** How many rules the policy has. */
  public get ruleCount(): number {
    return this.rules.length;
  }

  /**
   * The policy for a Job spec, after checking it against the API server's rules.
   * Exit-code rules carry an empty `onPodConditions`: the 1.27 schema marks the field required
   * and the API server accepts an empty list next to `onExitCodes`.
   */
  public bind(scope: IConstruct, context: PodFailurePolicyContext): k8s.PodFailurePolicy {
    const prop = context.prop ?? 'podFailurePolicy';
    if (context.restartPolicy !== 'Never') {
      throw new ConfigurationError(scope, prop, 'requires restartPolicy Never', context.restartPolicy,
        'Use JobRestartPolicy.NEVER (the default) or drop the pod failure policy: with OnFailure the kubelet restarts containers in place and the Job never sees the exit codes.');
    }
    if (this.rules.length === 0) throw new ConfigurationError(scope, prop, 'has no rules', 0, 'Add a rule, e.g. .ignoreDisruptions(), or leave the policy out.');
    if (this.rules.length > MAX_RULES) {
      throw new ConfigurationError(scope, prop, `has more than ${MAX_RULES} rules`, this.rules.length, 'Merge rules with the same action into one rule with several exit codes.');
    }
    return {
      rules: this.rules.map((rule, i) => (rule.kind === 'exitCodes'
        ? renderExitCodeRule(scope, `${prop}.rules[${i}]`, rule, context.containerNames)
        : renderConditionRule(scope, `${prop}.rules[${i}]`, rule))),
    };
  }
}

function renderConditionRule(scope: IConstruct, prop: string, rule: ConditionRule): k8s.PodFailurePolicyRule {
  const problem = qualifiedNameProblem(rule.conditionType);
  if (problem) throw new ConfigurationError(scope, `${prop} condition type`, problem, rule.conditionType, 'Use a pod condition type such as "DisruptionTarget".');
  return { action: rule.action, onPodConditions: [{ type: rule.conditionType, status: 'True' }] };
}

function renderExitCodeRule(scope: IConstruct, prop: string, rule: ExitCodeRule, containerNames: string[]): k8s.PodFailurePolicyRule {
  const values = rule.values;
  if (values.length === 0 || values.length > MAX_VALUES) {
    throw new ConfigurationError(scope, `${prop} exit codes`, `must list 1 to ${MAX_VALUES} values`, values.length, 'Pass at least one exit code; use NotIn for "every code but these".');
  }
  const bad = values.find((v) => !Number.isInteger(v) || v < 0 || v > 255);
  if (bad !== undefined) throw new ConfigurationError(scope, `${prop} exit codes`, 'must be integers 0-255', bad, 'Use the exit status the process returns (128+n for signal n).');
  if (rule.operator === ExitCodeOperator.IN && values.includes(0)) {
    throw new ConfigurationError(scope, `${prop} exit codes`, 'must not contain 0 with operator In', values, 'Exit code 0 is success and never matches; remove it.');
  }
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) throw new ConfigurationError(scope, `${prop} exit codes`, 'must be unique', duplicate, `List ${duplicate} once.`);
  if (rule.containerName !== undefined && !containerNames.includes(rule.containerName)) {
    throw new ConfigurationError(scope, `${prop} containerName`, 'names no container of the pod', rule.containerName, `Use one of: ${containerNames.join(', ')}.`);
  }
  return {
    action: rule.action,
    onExitCodes: {
      ...(rule.containerName !== undefined ? { containerName: rule.containerName } : {}),
      operator: rule.operator,
      values: [...values].sort((a, b) => a - b),
    },
    onPodConditions: [],
  };
}
