/**
 * Helm hook annotations for the migration Jobs of a BlueGreenDatabase, for users who ship the
 * synthesized YAML as a Helm chart's templates. Helm creates a hook Job at the event and waits
 * until it completes, so a hook Job cannot be suspended.
 */
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { checkEnum, checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';

/** The Helm release events a hook runs at (`helm.sh/hook`). */
export enum HelmHookEvent {
  PRE_INSTALL = 'pre-install',
  POST_INSTALL = 'post-install',
  PRE_UPGRADE = 'pre-upgrade',
  POST_UPGRADE = 'post-upgrade',
  PRE_ROLLBACK = 'pre-rollback',
  POST_ROLLBACK = 'post-rollback',
  PRE_DELETE = 'pre-delete',
  POST_DELETE = 'post-delete',
}

/** When Helm deletes a hook's resources (`helm.sh/hook-delete-policy`). */
export enum HelmHookDeletePolicy {
  /** Delete the previous Job before the hook creates it again (Helm's default). */
  BEFORE_HOOK_CREATION = 'before-hook-creation',
  /** Delete the Job once it succeeded (its logs go with it). */
  HOOK_SUCCEEDED = 'hook-succeeded',
  /** Delete the Job when it failed (its logs, the only account of the failure, go with it). */
  HOOK_FAILED = 'hook-failed',
}

/** The migration Jobs as Helm hooks. */
export interface HelmHookOptions {
  /** The events the migration runs at, e.g. `[HelmHookEvent.POST_UPGRADE]`. */
  readonly events: HelmHookEvent[];
  /**
   * `helm.sh/hook-weight` of the first migration Job; each following one gets the next integer,
   * so Helm runs them in order (replicate, cutover, user step).
   * @default 0
   */
  readonly weight?: number;
  /** @default [HelmHookDeletePolicy.BEFORE_HOOK_CREATION] */
  readonly deletePolicies?: HelmHookDeletePolicy[];
}

const KEYS: PropKeys<HelmHookOptions> = { events: true, weight: true, deletePolicies: true };

/** The hook annotations of the `index`-th migration Job, after checking the options. */
export function helmHookAnnotations(scope: IConstruct, hook: HelmHookOptions, index: number): Record<string, string> {
  const prop = 'helmHook';
  rejectUnknownProps(scope, hook, KEYS, 'HelmHookOptions');
  const events = checkList(scope, `${prop}.events`, hook.events, HelmHookEvent, 'HelmHookEvent', 'Pass e.g. [HelmHookEvent.POST_UPGRADE].');
  if (events.length === 0) throw new ConfigurationError(scope, `${prop}.events`, 'must name at least one event', hook.events, 'Pass e.g. [HelmHookEvent.POST_INSTALL, HelmHookEvent.POST_UPGRADE].');
  const policies = hook.deletePolicies === undefined ? [HelmHookDeletePolicy.BEFORE_HOOK_CREATION]
    : checkList(scope, `${prop}.deletePolicies`, hook.deletePolicies, HelmHookDeletePolicy, 'HelmHookDeletePolicy', 'Pass e.g. [HelmHookDeletePolicy.BEFORE_HOOK_CREATION].');
  checkType(scope, `${prop}.weight`, hook.weight, PropType.NUMBER);
  const weight = hook.weight ?? 0;
  if (!Number.isInteger(weight)) throw new ConfigurationError(scope, `${prop}.weight`, 'must be an integer', weight, 'Use e.g. 5.');
  return {
    'helm.sh/hook': events.join(','),
    'helm.sh/hook-weight': String(weight + index),
    ...(policies.length > 0 ? { 'helm.sh/hook-delete-policy': policies.join(',') } : {}),
  };
}

function checkList<T extends string>(scope: IConstruct, prop: string, values: T[], allowed: Record<string, string>, enumName: string, fix: string): T[] {
  if (!Array.isArray(values)) throw new ConfigurationError(scope, prop, `must be a list of ${enumName}`, values, fix);
  values.forEach((v, i) => {
    if (v === undefined || v === null) throw new ConfigurationError(scope, `${prop}[${i}]`, 'is not set', v, fix);
    checkEnum(scope, `${prop}[${i}]`, v, allowed, enumName);
  });
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined) throw new ConfigurationError(scope, prop, `lists ${duplicate} twice`, values, 'List each once.');
  return values;
}
