/**
 * What every readiness check works on: the synthesized manifests (so hand-written charts and
 * plain ApiObjects are checked like ours), each with its construct path when known.
 */
import { PodSecurityLevel } from '../../node-agents/node-agent';
import { Manifest } from '../../testing/pod';
import { ReadinessRule } from './rules';

/** One checked object: its manifest and, when known, the construct that emitted it. */
export interface CheckedObject {
  readonly manifest: Manifest;
  readonly constructPath?: string;
}

/** What a rule found, before severity and suppression are applied. */
export interface Finding {
  readonly rule: ReadinessRule;
  readonly object: CheckedObject;
  readonly message: string;
  readonly fix: string;
  /** Where in the manifest, e.g. `spec.template.spec.containers[0]`. */
  readonly location?: string;
}

/** Everything the rules may look at. */
export interface CheckContext {
  /** The objects to report on. */
  readonly objects: CheckedObject[];
  /** The checked manifests plus extra ones that only satisfy rules (PrometheusRules in another file). */
  readonly all: Manifest[];
  /** The Pod Security level a namespace enforces. */
  podSecurityLevel(namespace: string): PodSecurityLevel;
  /** Keys (`objectKey`) of StatefulSets the construct tree knows as databases. */
  readonly databases: Set<string>;
  /** Keys of database StatefulSets a BackupCronJob of the construct tree backs up. */
  readonly backedUp: Set<string>;
}

/** A rule: findings for the context (empty: it passes). */
export type RuleCheck = (context: CheckContext) => Finding[];

/** The namespace as written (empty for none: the namespace the manifests are applied to). */
export function namespaceOf(m: Manifest): string {
  return m.metadata?.namespace ?? '';
}

/** Identity of a manifest: apiVersion, kind, namespace and name (kind matters: names repeat across kinds). */
export function objectKey(m: Manifest): string {
  return `${m.apiVersion}|${m.kind}|${namespaceOf(m)}|${m.metadata?.name}`;
}

/** Kinds that run pods forever (restarted when they exit). */
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. An empty selector selects all. */
export function selectorMatches(selector: Manifest | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries<string>(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    const ok = e.operator === 'In' ? has && values.includes(labels[e.key])
      : e.operator === 'NotIn' ? !has || !values.includes(labels[e.key])
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has
            : false;
    if (!ok) return false;
  }
  return true;
}

/** `Kind/name`, with the namespace when set: how messages name an object. */
export function describe(m: Manifest): string {
  const ns = namespaceOf(m);
  return `${m.kind}/${m.metadata?.name}${ns ? ` in namespace ${ns}` : ''}`;
}
