/**
 * Rules that relate objects to each other: a PodDisruptionBudget per replicated workload, a
 * NetworkPolicy per pod, a backup per database, a PrometheusRule per workload; and the Job and
 * CronJob limits.
 */
import { jobSpecOf, Manifest, podTemplateOf } from '../../testing/pod';
import { CheckContext, CheckedObject, describe, Finding, namespaceOf, objectKey, RuleCheck, selectorMatches } from './model';
import { ReadinessRule } from './rules';

function podLabels(m: Manifest): Record<string, string> {
  return podTemplateOf(m)?.metadata?.labels ?? {};
}

function inNamespace(all: Manifest[], kind: string, ns: string): Manifest[] {
  return all.filter((m) => m.kind === kind && namespaceOf(m) === ns);
}

const disruptionBudget: RuleCheck = (context) => context.objects
  .filter(({ manifest }) => ['Deployment', 'StatefulSet'].includes(manifest.kind) && (manifest.spec?.replicas ?? 1) > 1)
  .filter(({ manifest }) => !inNamespace(context.all, 'PodDisruptionBudget', namespaceOf(manifest))
    // policy/v1: an empty selector selects every pod of the namespace, a missing one none.
    .some((pdb) => selectorMatches(pdb.spec?.selector, podLabels(manifest))))
  .map((object) => ({
    rule: ReadinessRule.DISRUPTION_BUDGET, object, location: 'spec.replicas',
    message: `${describe(object.manifest)} runs ${object.manifest.spec.replicas} replicas and no PodDisruptionBudget selects its pods`,
    fix: 'Add a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod template labels, so node drains keep a quorum.',
  }));

// NetworkPolicies do not apply to host-network pods (they share the node's network namespace),
// so those pods are not asked for one; Pod Security decides whether hostNetwork is allowed.
const networkPolicy: RuleCheck = (context) => context.objects
  .filter(({ manifest }) => podTemplateOf(manifest) !== undefined && podTemplateOf(manifest)?.spec?.hostNetwork !== true)
  .filter(({ manifest }) => !inNamespace(context.all, 'NetworkPolicy', namespaceOf(manifest))
    .some((policy) => selectorMatches(policy.spec?.podSelector ?? {}, podLabels(manifest))))
  .map((object) => ({
    rule: ReadinessRule.NETWORK_POLICY, object,
    message: `no NetworkPolicy in ${namespaceOf(object.manifest) ? `namespace ${namespaceOf(object.manifest)}` : 'the namespace'} selects the pods of ${object.manifest.kind}/${object.manifest.metadata?.name}`,
    fix: 'Add a NetworkPolicy whose podSelector matches the pod labels and allows only the traffic the pods need (or a default-deny policy for the namespace).',
  }));

/** A StatefulSet is a database when the construct tree says so or it carries the component label our databases (and Bitnami-style charts) use. */
function isDatabase(context: CheckContext, m: Manifest): boolean {
  return m.kind === 'StatefulSet' && (context.databases.has(objectKey(m)) || m.metadata?.labels?.['app.kubernetes.io/component'] === 'database');
}

/** The annotation a hand-written backup CronJob carries to name the StatefulSet it dumps. */
export const BACKUP_OF_ANNOTATION = 'cdk8s-workloads.io/backup-of';

/**
 * Without the construct tree: a CronJob backs a database up when it names it in the annotation,
 * or when it is labelled a backup and a NetworkPolicy lets its pods reach the database's pods
 * (what BackupCronJob emits).
 */
function backedUpByManifests(all: Manifest[], db: Manifest): boolean {
  const ns = namespaceOf(db);
  return inNamespace(all, 'CronJob', ns).some((cron) => {
    if (cron.metadata?.annotations?.[BACKUP_OF_ANNOTATION] === db.metadata?.name) return true;
    if (cron.metadata?.labels?.['app.kubernetes.io/component'] !== 'backup') return false;
    return inNamespace(all, 'NetworkPolicy', ns).some((policy) => selectorMatches(policy.spec?.podSelector ?? {}, podLabels(cron))
      && (policy.spec?.egress ?? []).some((rule: Manifest) => (rule.to ?? []).some((peer: Manifest) =>
        peer.podSelector && !peer.namespaceSelector && Object.keys(peer.podSelector).length > 0 && selectorMatches(peer.podSelector, podLabels(db)))));
  });
}

const databaseBackup: RuleCheck = (context) => context.objects
  .filter(({ manifest }) => isDatabase(context, manifest))
  .filter(({ manifest }) => !context.backedUp.has(objectKey(manifest)) && !backedUpByManifests(context.all, manifest))
  .map((object) => ({
    rule: ReadinessRule.DATABASE_BACKUP, object,
    message: `database ${describe(object.manifest)} has no backup CronJob`,
    fix: `Add a BackupCronJob with database: <this database> (and test the restore with RestoreJob); a hand-written backup CronJob names it with the annotation ${BACKUP_OF_ANNOTATION}: ${object.manifest.metadata?.name}.`,
  }));

/** The kube-state-metrics label that names each kind's object in its metrics. */
const METRIC_LABEL: Record<string, string> = { StatefulSet: 'statefulset', Deployment: 'deployment', DaemonSet: 'daemonset', Job: 'job_name', CronJob: 'cronjob' };

/** The label matchers of every `{...}` selector of a PromQL expression. */
function selectors(expr: string): Record<string, { op: string; value: string }>[] {
  return [...expr.matchAll(/\{([^{}]*)\}/g)].map((m) => {
    const matchers: Record<string, { op: string; value: string }> = {};
    for (const x of m[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/g)) matchers[x[1]] = { op: x[2], value: x[3] };
    return matchers;
  });
}

function matcherSelects(matcher: { op: string; value: string } | undefined, value: string): boolean {
  if (!matcher) return false;
  if (matcher.op === '=') return matcher.value === value;
  if (matcher.op === '=~') {
    try { return new RegExp(`^(?:${matcher.value})$`).test(value); } catch { return false; }
  }
  return false;
}

/** Whether some alerting rule of some PrometheusRule selects this workload by its kube-state-metrics label (and namespace, when the rule names one). */
function watched(all: Manifest[], workload: Manifest): boolean {
  const label = METRIC_LABEL[workload.kind];
  const ns = namespaceOf(workload);
  return all.filter((m) => m.kind === 'PrometheusRule').some((rule) => (rule.spec?.groups ?? [])
    .flatMap((g: Manifest) => g.rules ?? []).filter((r: Manifest) => r.alert)
    .some((r: Manifest) => selectors(String(r.expr)).some((s) => matcherSelects(s[label], workload.metadata?.name)
      && (!s.namespace || !ns || matcherSelects(s.namespace, ns)))));
}

const alerts: RuleCheck = (context) => context.objects
  .filter(({ manifest }) => METRIC_LABEL[manifest.kind] !== undefined && !watched(context.all, manifest))
  .map((object) => ({
    rule: ReadinessRule.ALERTS, object,
    message: `no PrometheusRule alert selects ${METRIC_LABEL[object.manifest.kind]}="${object.manifest.metadata?.name}"${namespaceOf(object.manifest) ? ` in namespace ${namespaceOf(object.manifest)}` : ''} among the checked manifests`,
    fix: 'Emit its alerts (Alerts.of(chart) adds one PrometheusRule per construct); when the rules are written to another file, pass them to the check (`additionalManifests`) or keep that file in the synth output folder the cdk8s-cli plugin reads.',
  }));

function jobFindings(object: CheckedObject, spec: Manifest, base: string): Finding[] {
  const findings: Finding[] = [];
  const add = (field: string, message: string, fix: string) => findings.push({ rule: ReadinessRule.JOB_LIMITS, object, location: `${base}.${field}`, message, fix });
  if (spec.activeDeadlineSeconds === undefined) add('activeDeadlineSeconds', 'no activeDeadlineSeconds: a hung run is never stopped', 'Set activeDeadlineSeconds to a few times the longest normal run.');
  if (spec.backoffLimit === undefined) add('backoffLimit', 'no backoffLimit: the default 6 retries apply, with back-off up to 6 minutes each', 'Set backoffLimit explicitly (and a podFailurePolicy for exit codes that retrying cannot fix).');
  if (object.manifest.kind === 'Job' && spec.ttlSecondsAfterFinished === undefined) {
    add('ttlSecondsAfterFinished', 'no ttlSecondsAfterFinished: the finished Job and its pods stay forever', 'Set ttlSecondsAfterFinished (e.g. a day) once its result has been collected.');
  }
  return findings;
}

// A CronJob's finished Jobs are bounded by successfulJobsHistoryLimit/failedJobsHistoryLimit, which
// the API server defaults to 3 and 1: only standalone Jobs need a TTL.
const jobLimits: RuleCheck = (context) => context.objects.flatMap((object) => {
  const spec = jobSpecOf(object.manifest);
  if (!spec) return [];
  return jobFindings(object, spec, object.manifest.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec');
});

const cronJobPolicy: RuleCheck = (context) => context.objects.filter(({ manifest }) => manifest.kind === 'CronJob').flatMap((object) => {
  const spec = object.manifest.spec ?? {};
  const findings: Finding[] = [];
  if ((spec.concurrencyPolicy ?? 'Allow') === 'Allow') {
    findings.push({
      rule: ReadinessRule.CRONJOB_POLICY, object, location: 'spec.concurrencyPolicy',
      message: `concurrencyPolicy ${spec.concurrencyPolicy ?? 'unset (Allow)'}: a slow run overlaps the next one`,
      fix: 'Set concurrencyPolicy: Forbid (or Replace when only the newest run matters).',
    });
  }
  const deadline = spec.startingDeadlineSeconds;
  if (deadline === undefined || deadline < 10) {
    findings.push({
      rule: ReadinessRule.CRONJOB_POLICY, object, location: 'spec.startingDeadlineSeconds',
      message: deadline === undefined
        ? 'no startingDeadlineSeconds: a run missed during an outage starts arbitrarily late, and after 100 missed schedules the CronJob stops scheduling'
        : `startingDeadlineSeconds ${deadline} is under 10: the controller checks every 10 s, so runs may never start`,
      fix: 'Set startingDeadlineSeconds to how late a run may still start (e.g. 300).',
    });
  }
  return findings;
});

export const WORKLOAD_RULES: RuleCheck[] = [disruptionBudget, networkPolicy, databaseBackup, alerts, jobLimits, cronJobPolicy];
