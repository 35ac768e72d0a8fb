/**
 * Suppression by annotation, with a mandatory reason:
 * `cdk8s-workloads.io/readiness-ignore: "probes: the agent has no health endpoint; alerts: watched by the platform team"`.
 * Entries are separated by `;` before a rule id and a colon, so a reason may contain `;` and `:` otherwise.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { Manifest } from '../../testing/pod';
import { RULE_IDS } from './rules';

export const SUPPRESS_ANNOTATION = 'cdk8s-workloads.io/readiness-ignore';

/** One parsed entry: a rule id and the reason given (may be empty, which is itself a problem). */
export interface SuppressionEntry {
  readonly rule: string;
  readonly reason: string;
}

/** The entries of a manifest's suppression annotation, and the text that is not an entry. */
export function parseSuppressions(m: Manifest): { entries: SuppressionEntry[]; malformed: string[] } {
  const text: unknown = m.metadata?.annotations?.[SUPPRESS_ANNOTATION];
  if (text === undefined) return { entries: [], malformed: [] };
  const ids = RULE_IDS.join('|');
  const parts = String(text).split(new RegExp(`;\\s*(?=(?:${ids})\\s*:)`)).map((p) => p.trim()).filter(Boolean);
  const entries: SuppressionEntry[] = [];
  const malformed: string[] = [];
  for (const part of parts) {
    const match = /^([a-z-]+)\s*:(.*)$/s.exec(part);
    if (match && RULE_IDS.includes(match[1])) entries.push({ rule: match[1], reason: match[2].trim() });
    else malformed.push(part);
  }
  if (parts.length === 0) malformed.push(String(text));
  return { entries, malformed };
}

/** The ApiObjects a suppression on this construct applies to: its own, or every one below it. */
function apiObjectsOf(construct: IConstruct): ApiObject[] {
  if (construct instanceof ApiObject) return [construct];
  // ApiObject.of's lookup (the default child, recursively), without its throw.
  for (let own = construct.node.defaultChild; own; own = own.node.defaultChild) if (own instanceof ApiObject) return [own];
  return construct.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** Adds `<rule>: <reason>` to the annotation of the construct's objects (appending to earlier entries). */
export function addSuppression(construct: IConstruct, rule: string, reason: string): void {
  if (!RULE_IDS.includes(rule)) throw new ConfigurationError(construct, 'rule', 'is not a readiness rule', rule, `Use a ReadinessRule member (${RULE_IDS.join(', ')}).`);
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new ConfigurationError(construct, 'reason', 'must say why the rule does not apply', reason, 'Pass the reason a reviewer needs, e.g. "the agent exposes no health endpoint".');
  }
  const objects = apiObjectsOf(construct);
  if (objects.length === 0) throw new ConfigurationError(construct, 'construct', 'has no Kubernetes objects to annotate', construct.node.path, 'Suppress on the construct that emits the object (or on its chart).');
  for (const object of objects) {
    const earlier: string | undefined = object.metadata.toJson().annotations?.[SUPPRESS_ANNOTATION];
    object.metadata.addAnnotation(SUPPRESS_ANNOTATION, earlier ? `${earlier}; ${rule}: ${reason.trim()}` : `${rule}: ${reason.trim()}`);
  }
}
