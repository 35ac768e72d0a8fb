/**
 * Production readiness of any cdk8s chart, ours or hand-written: the checklist's rules run on
 * the synthesized manifests, with construct paths from the tree, and with what only the tree
 * knows (which StatefulSet is one of our databases, which BackupCronJob dumps it).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PropKeys, checkEnum, rejectUnknownProps } from '../../defaults/props';
import { ConfigurationError } from '../../errors';
import { ReplicatedDatabase } from '../../databases/replicated-database';
import { PodSecurityLevel } from '../../node-agents/node-agent';
import { BackupCronJob } from '../../scheduled/backup-cron-job';
import { Manifest } from '../../testing/pod';
import { CheckedObject, Finding, namespaceOf, objectKey } from './model';
import { POD_RULES } from './pod-rules';
import { ReadinessReport, ReadinessProblem, ReadinessSuppressedProblem } from './report';
import { ReadinessRule, RULE_SEVERITY } from './rules';
import { addSuppression, parseSuppressions, SUPPRESS_ANNOTATION } from './suppression';
import { WORKLOAD_RULES } from './workload-rules';

/** Options of `Readiness.check` and `Readiness.checkManifests`. */
export interface ReadinessOptions {
  /**
   * Manifests that can satisfy rules but are not themselves reported on, e.g. the
   * PrometheusRules of `Alerts.of(chart)` when they are written to a separate file.
   * @default - none
   */
  readonly additionalManifests?: any[];
  /**
   * The Pod Security level of namespaces that no Namespace object in the manifests labels
   * `pod-security.kubernetes.io/enforce` and `namespaceLevels` does not name.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly defaultPodSecurityLevel?: PodSecurityLevel;
  /**
   * Pod Security levels of namespaces created outside these manifests (a Namespace object's
   * label in the manifests takes precedence).
   * @default - none
   */
  readonly namespaceLevels?: { [namespace: string]: PodSecurityLevel };
  /**
   * Run only these rules (suppression annotations are always checked).
   * @default - every rule
   */
  readonly rules?: ReadinessRule[];
}

const OPTION_KEYS: PropKeys<ReadinessOptions> = { additionalManifests: true, defaultPodSecurityLevel: true, namespaceLevels: true, rules: true };

/** What the construct tree adds to the manifests. */
interface TreeFacts {
  readonly databases: Set<string>;
  readonly backedUp: Set<string>;
}

export function validateOptions(where: string, options: ReadinessOptions): void {
  rejectUnknownProps(where, options, OPTION_KEYS, 'ReadinessOptions');
  checkEnum(where, 'defaultPodSecurityLevel', options.defaultPodSecurityLevel, PodSecurityLevel, 'PodSecurityLevel');
  for (const [ns, level] of Object.entries(options.namespaceLevels ?? {})) checkEnum(where, `namespaceLevels.${ns}`, level, PodSecurityLevel, 'PodSecurityLevel');
  if (options.rules !== undefined && !Array.isArray(options.rules)) throw new ConfigurationError(where, 'rules', 'must be an array of ReadinessRule', options.rules, 'Pass e.g. [ReadinessRule.RESOURCES].');
  for (const rule of options.rules ?? []) checkEnum(where, 'rules', rule, ReadinessRule, 'ReadinessRule');
  if (options.additionalManifests !== undefined && !Array.isArray(options.additionalManifests)) {
    throw new ConfigurationError(where, 'additionalManifests', 'must be an array of manifests', options.additionalManifests, 'Pass e.g. Yaml.load("dist/app.prometheusrules.yaml").');
  }
}

function podSecurityLevels(all: Manifest[], options: ReadinessOptions): (namespace: string) => PodSecurityLevel {
  const labelled = new Map<string, PodSecurityLevel>();
  for (const m of all) {
    const level = m.kind === 'Namespace' ? m.metadata?.labels?.['pod-security.kubernetes.io/enforce'] : undefined;
    if (Object.values(PodSecurityLevel).includes(level)) labelled.set(m.metadata.name, level);
  }
  return (namespace) => labelled.get(namespace) ?? options.namespaceLevels?.[namespace] ?? options.defaultPodSecurityLevel ?? PodSecurityLevel.RESTRICTED;
}

/** Problems of the suppression annotations themselves: unknown rules, empty reasons. */
function suppressionFindings(objects: CheckedObject[]): Finding[] {
  const at = `metadata.annotations["${SUPPRESS_ANNOTATION}"]`;
  const rules = Object.values(ReadinessRule).filter((r) => r !== ReadinessRule.SUPPRESSION).join(', ');
  return objects.flatMap((object) => {
    const { entries, malformed } = parseSuppressions(object.manifest);
    return [
      ...malformed.map((text) => ({ rule: ReadinessRule.SUPPRESSION, object, location: at, message: `"${text}" is not "<rule>: <reason>" with a known rule`, fix: `Write "<rule>: <reason>", separated by "; ", with rules from: ${rules}.` })),
      ...entries.filter((e) => e.reason === '' || e.rule === ReadinessRule.SUPPRESSION).map((e) => ({
        rule: ReadinessRule.SUPPRESSION, object, location: at,
        message: e.rule === ReadinessRule.SUPPRESSION ? 'the suppression rule itself cannot be suppressed' : `suppression of "${e.rule}" gives no reason, so it does not apply`,
        fix: `Say why, e.g. "${e.rule}: <why this object is an exception>".`,
      })),
    ];
  });
}

function problemOf(f: Finding): ReadinessProblem {
  const m = f.object.manifest;
  return {
    rule: f.rule, severity: RULE_SEVERITY[f.rule], constructPath: f.object.constructPath,
    apiVersion: m.apiVersion, kind: m.kind, namespaceName: namespaceOf(m) || undefined, name: m.metadata?.name,
    location: f.location, message: f.message, fix: f.fix,
  };
}

/** Runs the rules; applies severities and suppression annotations (the suppression rule itself cannot be suppressed). */
export function runReadiness(objects: CheckedObject[], options: ReadinessOptions, tree: TreeFacts = { databases: new Set(), backedUp: new Set() }): ReadinessReport {
  const all = [...objects.map((o) => o.manifest), ...(options.additionalManifests ?? [])];
  const context = { objects, all, podSecurityLevel: podSecurityLevels(all, options), ...tree };
  const enabled = (rule: ReadinessRule) => options.rules === undefined || options.rules.includes(rule);
  const order = new Map(objects.map((o, i) => [o, i]));
  const findings = [...[...POD_RULES, ...WORKLOAD_RULES].flatMap((rule) => rule(context)).filter((f) => enabled(f.rule)), ...suppressionFindings(objects)]
    .sort((a, b) => order.get(a.object)! - order.get(b.object)!);
  const problems: ReadinessProblem[] = [];
  const suppressed: ReadinessSuppressedProblem[] = [];
  for (const f of findings) {
    const entry = f.rule === ReadinessRule.SUPPRESSION ? undefined : parseSuppressions(f.object.manifest).entries.find((e) => e.rule === f.rule && e.reason !== '');
    if (entry) suppressed.push({ ...problemOf(f), reason: entry.reason });
    else problems.push(problemOf(f));
  }
  return new ReadinessReport(problems, suppressed);
}

/** Which StatefulSets the tree knows as databases, and which of them a BackupCronJob dumps (anywhere in the app). */
function treeFacts(scope: IConstruct): TreeFacts {
  const databases = new Set<string>();
  const backedUp = new Set<string>();
  const key = (db: ReplicatedDatabase) => objectKey(ApiObject.of(db.statefulSet).toJson());
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof ReplicatedDatabase) databases.add(key(c));
    if (c instanceof BackupCronJob && c.source.database instanceof ReplicatedDatabase) backedUp.add(key(c.source.database));
  }
  return { databases, backedUp };
}

/**
 * The production-readiness check: resources, probes, Pod Security per namespace level,
 * disruption budgets, network policies, pinned images, inline secrets, database backups,
 * alerts, Job and CronJob limits. Problems are structured (rule, severity, construct path,
 * apiVersion, kind, namespace, name, location, message, fix), and an object opts out of a rule
 * with the annotation `cdk8s-workloads.io/readiness-ignore: "<rule>: <reason>"`.
 */
export class Readiness {
  /** The suppression annotation: `"<rule>: <reason>"`, several separated by `; `. */
  public static readonly SUPPRESS_ANNOTATION = SUPPRESS_ANNOTATION;

  /** Checks every Kubernetes object under `scope` (an App, a Chart or any construct). */
  public static check(scope: IConstruct, options: ReadinessOptions = {}): ReadinessReport {
    validateOptions(`${scope.node.path || 'app'}: Readiness.check`, options);
    const objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)
      .map((o) => ({ manifest: o.toJson(), constructPath: o.node.path }));
    return runReadiness(objects, options, treeFacts(scope));
  }

  /** Checks plain manifests (e.g. `Yaml.load(file)`), without construct paths. */
  public static checkManifests(manifests: any[], options: ReadinessOptions = {}): ReadinessReport {
    validateOptions('Readiness.checkManifests', options);
    if (!Array.isArray(manifests)) throw new ConfigurationError('Readiness.checkManifests', 'manifests', 'must be an array of manifests', manifests, 'Pass e.g. Yaml.load("dist/app.k8s.yaml").');
    return runReadiness(manifests.filter((m) => m && typeof m === 'object').map((manifest) => ({ manifest })), options);
  }

  /**
   * Exempts the construct's objects from a rule, with the reason a reviewer needs: adds
   * `<rule>: <reason>` to their `cdk8s-workloads.io/readiness-ignore` annotation (an
   * ApiObject or a cdk8s-plus resource: its object; any other construct: every object below it).
   * @throws a ConfigurationError when the reason is empty
   */
  public static suppress(construct: IConstruct, rule: ReadinessRule, reason: string): void {
    addSuppression(construct, rule, reason);
  }

  private constructor() {}
}
