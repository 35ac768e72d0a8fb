/**
 * The readiness check as a cdk8s-cli validation plugin. cdk8s-cli (2.x) loads it from
 * `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-workloads   # a local path: cdk8s-cli requires it as is
 *     version: 0.2.0                              # exact: cdk8s-cli refuses ranges
 *     class: ReadinessValidation
 *     properties: { failOn: error, reportFile: readiness.json }
 * ```
 *
 * and calls `validate(context)` after synth with the synthesized YAML files (every `.yaml` in
 * the output folder, so PrometheusRules written there count for the alerts rule). The plugin
 * sees manifests only: databases are StatefulSets labelled `app.kubernetes.io/component:
 * database`, and a backup is a CronJob labelled `backup` whose NetworkPolicy reaches them (or
 * one annotated `cdk8s-workloads.io/backup-of`).
 *
 * cdk8s-cli keys its construct metadata by `metadata.name` alone, so a StatefulSet, its PDB and
 * its NetworkPolicy of one name would share one path: the plugin names resources `Kind/name`,
 * and gives a construct path only when the name is unique in the app.
 *
 * The context is typed `any`: the plugin must not make cdk8s-cli a dependency of the library.
 */
import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { PropKeys, PropType, checkEnum, checkType, rejectUnknownProps } from '../../defaults/props';
import { ConfigurationError } from '../../errors';
import { PodSecurityLevel } from '../../node-agents/node-agent';
import { Manifest } from '../../testing/pod';
import { CheckedObject } from './model';
import { runReadiness, validateOptions } from './readiness';
import { ReadinessProblem } from './report';
import { ReadinessRule, ReadinessSeverity, RULE_DESCRIPTION } from './rules';

/** The `properties` of the plugin in cdk8s.yaml. */
export interface ReadinessValidationProps {
  /**
   * The least severity that fails the validation (cdk8s synth then exits with status 2).
   * @default ReadinessSeverity.ERROR
   */
  readonly failOn?: ReadinessSeverity;
  /**
   * Also write the structured report (problems with kind, namespace, construct path; the
   * suppressed ones with their reasons) as JSON to this file, relative to the app folder.
   * @default - no file
   */
  readonly reportFile?: string;
  /**
   * YAML files outside the output folder whose objects can satisfy rules (e.g. PrometheusRules).
   * @default - none
   */
  readonly additionalManifestFiles?: string[];
  /**
   * The Pod Security level of namespaces not labelled in the manifests.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly defaultPodSecurityLevel?: PodSecurityLevel;
  /**
   * Pod Security levels of namespaces created elsewhere.
   * @default - none
   */
  readonly namespaceLevels?: { [namespace: string]: PodSecurityLevel };
  /**
   * Run only these rules.
   * @default - every rule
   */
  readonly rules?: ReadinessRule[];
}

const PROP_KEYS: PropKeys<ReadinessValidationProps> = { failOn: true, reportFile: true, additionalManifestFiles: true, defaultPodSecurityLevel: true, namespaceLevels: true, rules: true };
const WHERE = 'ReadinessValidation';

function loadYaml(file: string): Manifest[] {
  return Yaml.load(file).filter((m: unknown) => m && typeof m === 'object');
}

function resourceName(p: ReadinessProblem): string {
  return `${p.kind}/${p.name}${p.namespaceName ? ` (namespace ${p.namespaceName})` : ''}`;
}

function identity(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** cdk8s-cli's metadata maps metadata.name to a construct path: trusted only for names no other object has. */
function locate<T extends { manifest: Manifest }>(objects: T[], metadata: Record<string, { path?: string }>): (T & CheckedObject)[] {
  const sharing = groupBy(objects, (o) => String(o.manifest.metadata?.name));
  return objects.map((o) => {
    const name = String(o.manifest.metadata?.name);
    return { ...o, constructPath: sharing.get(name)!.length === 1 ? metadata[name]?.path : undefined };
  });
}

/** One cdk8s-cli violation per rule and severity, errors first (cdk8s-cli prints them in this order). */
function violations(problems: ReadinessProblem[], manifestPath: Map<string, string>): any[] {
  const groups = [...groupBy(problems, (p) => `${p.severity}|${p.rule}`).values()]
    .sort((a, b) => Number(a[0].severity !== ReadinessSeverity.ERROR) - Number(b[0].severity !== ReadinessSeverity.ERROR));
  return groups.map((group) => ({
    ruleName: `[${group[0].severity}] ${group[0].rule}`,
    recommendation: RULE_DESCRIPTION[group[0].rule],
    fix: [...new Set(group.map((p) => p.fix))].join(' | '),
    violatingResources: [...groupBy(group, resourceName).entries()].map(([name, ps]) => ({
      resourceName: name,
      manifestPath: manifestPath.get(identity(ps[0].kind, ps[0].namespaceName, ps[0].name)) ?? '',
      locations: [...(ps[0].constructPath ? [`construct ${ps[0].constructPath}`] : []), ...ps.map((p) => `${p.location ?? '(object)'}: ${p.message}`)],
    })),
  }));
}

/** The production-readiness check as a cdk8s-cli validation plugin (`class: ReadinessValidation`). */
export class ReadinessValidation {
  private readonly props: ReadinessValidationProps;

  constructor(props: ReadinessValidationProps = {}) {
    rejectUnknownProps(WHERE, props, PROP_KEYS, 'ReadinessValidationProps');
    checkEnum(WHERE, 'failOn', props.failOn, ReadinessSeverity, 'ReadinessSeverity');
    checkType(WHERE, 'reportFile', props.reportFile, PropType.STRING);
    validateOptions(WHERE, { defaultPodSecurityLevel: props.defaultPodSecurityLevel, namespaceLevels: props.namespaceLevels, rules: props.rules });
    if (props.additionalManifestFiles !== undefined && !Array.isArray(props.additionalManifestFiles)) {
      throw new ConfigurationError(WHERE, 'additionalManifestFiles', 'must be a list of YAML files', props.additionalManifestFiles, 'Write e.g. additionalManifestFiles: [rules/app.prometheusrules.yaml].');
    }
    this.props = props;
  }

  /** Called by cdk8s-cli after synth: checks the manifests, fills and submits the report. */
  public async validate(context: any): Promise<void> {
    const objects = locate((context.manifests as string[]).flatMap((file) => loadYaml(file).map((manifest) => ({ manifest, manifestPath: file }))), context.metadata ?? {});
    const report = runReadiness(objects, {
      additionalManifests: (this.props.additionalManifestFiles ?? []).flatMap(loadYaml),
      defaultPodSecurityLevel: this.props.defaultPodSecurityLevel, namespaceLevels: this.props.namespaceLevels, rules: this.props.rules,
    });
    const manifestPath = new Map(objects.map((o) => [identity(o.manifest.kind, o.manifest.metadata?.namespace, o.manifest.metadata?.name), o.manifestPath]));
    for (const violation of violations(report.problems, manifestPath)) context.report.addViolation(violation);
    for (const [text, n] of groupBy(report.suppressed, (x) => `${x.rule} on ${resourceName(x)}: ${x.reason}`)) {
      context.logger?.log(`readiness: suppressed ${n.length} problem(s) of ${text}`);
    }
    if (this.props.reportFile) fs.writeFileSync(this.props.reportFile, JSON.stringify(report.toJson(), null, 2) + '\n');
    const summary = report.toJson().summary;
    context.report.submit(report.failed(this.props.failOn) ? 'failure' : 'success', {
      errors: String(summary.errors), warnings: String(summary.warnings), suppressed: String(summary.suppressed), failOn: this.props.failOn ?? ReadinessSeverity.ERROR,
    });
  }
}
