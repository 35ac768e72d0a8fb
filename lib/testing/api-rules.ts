/**
 * Rules the API server enforces that a schema cannot express: names, labels, selectors,
 * restart policies, probe handlers, ports, resources, budgets and update strategies.
 * Each rule returns problems as strings; an empty list means the manifest would be accepted.
 */
import { labelKeyProblem, labelValueProblem } from '../defaults/labels';
import {
  dnsLabelProblem, dnsSubdomainProblem, envNameProblem, imageReferenceProblem, MAX_CRONJOB_NAME, portNameProblem, qualifiedNameProblem, secretKeyProblem, serviceNameProblem,
} from '../kube/names';
import { parseQuantity } from '../kube/quantity';
import { CLUSTER_SCOPED_KINDS } from '../kube/cluster-scoped';
import { containersOf, jobSpecOf, Manifest, podSpecOf, podTemplateOf } from './pod';

type Rule = (m: Manifest) => string[];

function nameRule(m: Manifest): string[] {
  const name: string | undefined = m.metadata?.name;
  if (!name) return ['metadata.name is missing'];
  let problem: string | undefined;
  switch (m.kind) {
    case 'Service': problem = serviceNameProblem(name); break;
    case 'StatefulSet': case 'Namespace': case 'Job': problem = dnsLabelProblem(name); break;
    case 'CronJob': problem = dnsLabelProblem(name, MAX_CRONJOB_NAME); break;
    default: problem = dnsSubdomainProblem(name);
  }
  return problem ? [`metadata.name "${name}" ${problem}`] : [];
}

function labelMapProblems(where: string, labels: Record<string, string> | undefined): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push(`${where} key "${key}" ${keyProblem}`);
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : 'must be a string';
    if (valueProblem) problems.push(`${where}["${key}"] value "${value}" ${valueProblem}`);
  }
  return problems;
}

function labelRule(m: Manifest): string[] {
  return [
    ...labelMapProblems('metadata.labels', m.metadata?.labels),
    ...labelMapProblems('pod template labels', podTemplateOf(m)?.metadata?.labels),
  ];
}

function selectorRule(m: Manifest): string[] {
  const template = podTemplateOf(m);
  if (!template || m.kind === 'Pod') return [];
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.selector ? ['a CronJob job template must not set a selector'] : [];
  const selector = m.spec?.selector;
  if (!selector) return m.kind === 'Job' ? [] : ['spec.selector is required'];
  if (m.kind === 'Job' && m.spec?.manualSelector !== true) return ['a Job selector requires manualSelector: true (Jobs generate their own)'];
  const matchLabels: Record<string, string> = selector.matchLabels ?? {};
  if (Object.keys(matchLabels).length === 0 && (selector.matchExpressions ?? []).length === 0) return ['spec.selector is empty: it would select every pod'];
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  return Object.entries(matchLabels)
    .filter(([key, value]) => labels[key] !== value)
    .map(([key, value]) => `spec.selector ${key}=${value} does not match the pod template labels`);
}

function restartPolicyRule(m: Manifest): string[] {
  const pod = podSpecOf(m);
  if (!pod) return [];
  const policy = pod.restartPolicy;
  const job = jobSpecOf(m);
  if (!job) return policy === undefined || policy === 'Always' || m.kind === 'Pod' ? [] : [`restartPolicy "${policy}" is not allowed for a ${m.kind}; it must be Always`];
  const problems: string[] = [];
  if (policy !== 'Never' && policy !== 'OnFailure') problems.push(`restartPolicy must be Never or OnFailure in a Job (got ${policy ?? 'unset, which means Always'})`);
  if (job.podFailurePolicy && policy !== 'Never') problems.push('podFailurePolicy requires restartPolicy Never');
  problems.push(...podFailurePolicyProblems(job.podFailurePolicy));
  if (job.completionMode === 'Indexed' && job.completions === undefined) problems.push('completionMode Indexed requires completions');
  for (const field of ['completions', 'parallelism', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) {
    const value = job[field];
    if (value !== undefined && (!Number.isInteger(value) || value < (field === 'activeDeadlineSeconds' ? 1 : 0))) problems.push(`job ${field} ${value} is out of range`);
  }
  return problems;
}

function podFailurePolicyProblems(policy: Manifest | undefined): string[] {
  const rules: Manifest[] = policy?.rules ?? [];
  const problems = rules.length > 20 ? [`podFailurePolicy has ${rules.length} rules; at most 20 are allowed`] : [];
  rules.forEach((rule, i) => {
    const codes = rule.onExitCodes;
    if (!codes) return;
    const values: number[] = codes.values ?? [];
    if (values.length === 0 || values.length > 255) problems.push(`podFailurePolicy rule ${i} must list 1-255 exit codes`);
    if (codes.operator === 'In' && values.includes(0)) problems.push(`podFailurePolicy rule ${i} may not match exit code 0 with In`);
    if (values.some((v, j) => j > 0 && v <= values[j - 1])) problems.push(`podFailurePolicy rule ${i} exit codes must be unique and sorted ascending`);
  });
  return problems;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function probeProblems(where: string, kind: string, probe: Manifest): string[] {
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined);
  const problems = handlers.length === 1 ? [] : [`${where} ${kind} must have exactly one handler (has ${handlers.join(', ') || 'none'})`];
  if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) problems.push(`${where} ${kind} successThreshold must be 1`);
  if (probe.exec && (!Array.isArray(probe.exec.command) || probe.exec.command.length === 0)) problems.push(`${where} ${kind} exec needs a command`);
  return problems;
}

function resourceProblems(where: string, resources: Manifest | undefined): string[] {
  const problems: string[] = [];
  for (const [name, request] of Object.entries<string>(resources?.requests ?? {})) {
    const limit = resources?.limits?.[name];
    if (limit === undefined) continue;
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r === undefined || l === undefined) problems.push(`${where} ${name} quantity is invalid (${request} / ${limit})`);
    else if (r > l) problems.push(`${where} ${name} request ${request} is above its limit ${limit}`);
  }
  return problems;
}

function containerRule(m: Manifest): string[] {
  const pod = podSpecOf(m);
  if (!pod) return [];
  const problems: string[] = [];
  const names = new Set<string>();
  const portNames = new Set<string>();
  const volumes = new Set<string>([
    ...(pod.volumes ?? []).map((v: Manifest) => v.name),
    ...(m.kind === 'StatefulSet' ? (m.spec?.volumeClaimTemplates ?? []).map((t: Manifest) => t.metadata?.name) : []),
  ]);
  if ((pod.containers ?? []).length === 0) problems.push('a pod needs at least one container');
  for (const { container, init } of containersOf(pod)) {
    const where = `${init ? 'init container' : 'container'} "${container.name}"`;
    if (names.has(container.name)) problems.push(`${where} name is not unique in the pod`);
    names.add(container.name);
    if (dnsLabelProblem(container.name ?? '')) problems.push(`${where} name ${dnsLabelProblem(container.name ?? '')}`);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (!container[probe]) continue;
      if (init) problems.push(`${where} may not have a ${probe}`);
      else problems.push(...probeProblems(where, probe, container[probe]));
    }
    for (const port of container.ports ?? []) {
      if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) problems.push(`${where} port ${port.containerPort} is outside 1-65535`);
      if (port.name !== undefined) {
        const problem = portNameProblem(port.name);
        if (problem) problems.push(`${where} port name "${port.name}" ${problem}`);
        if (portNames.has(port.name)) problems.push(`${where} port name "${port.name}" is not unique in the pod`);
        portNames.add(port.name);
      }
    }
    problems.push(...resourceProblems(where, container.resources));
    if (typeof container.image === 'string' && imageReferenceProblem(container.image)) problems.push(`${where} image "${container.image}" ${imageReferenceProblem(container.image)}`);
    for (const env of container.env ?? []) {
      if (envNameProblem(env.name ?? '')) problems.push(`${where} env "${env.name}" ${envNameProblem(env.name ?? '')}`);
      const key = env.valueFrom?.secretKeyRef?.key ?? env.valueFrom?.configMapKeyRef?.key;
      if (key !== undefined && secretKeyProblem(key)) problems.push(`${where} env "${env.name}" refers to key "${key}", which ${secretKeyProblem(key)}`);
    }
    const mountPaths = new Set<string>();
    for (const mount of container.volumeMounts ?? []) {
      if (mountPaths.has(mount.mountPath)) problems.push(`${where} mounts "${mount.mountPath}" twice`);
      mountPaths.add(mount.mountPath);
      if (!volumes.has(mount.name)) problems.push(`${where} mounts volume "${mount.name}", which the pod does not define`);
    }
  }
  return problems;
}

function claimRule(m: Manifest): string[] {
  const claims: Manifest[] = m.kind === 'StatefulSet' ? (m.spec?.volumeClaimTemplates ?? []).map((t: Manifest) => t.spec ?? {})
    : m.kind === 'PersistentVolumeClaim' ? [m.spec ?? {}] : [];
  const problems: string[] = [];
  for (const claim of claims) {
    if (claim.storageClassName !== undefined && dnsSubdomainProblem(claim.storageClassName)) problems.push(`storageClassName "${claim.storageClassName}" ${dnsSubdomainProblem(claim.storageClassName)}`);
    if (Array.isArray(claim.accessModes) && claim.accessModes.length === 0) problems.push('a claim needs at least one access mode');
  }
  return problems;
}

function podFailureConditionRule(m: Manifest): string[] {
  const rules: Manifest[] = jobSpecOf(m)?.podFailurePolicy?.rules ?? [];
  return rules.flatMap((rule) => (rule.onPodConditions ?? [])
    .filter((c: Manifest) => qualifiedNameProblem(c.type ?? ''))
    .map((c: Manifest) => `podFailurePolicy condition type "${c.type}" ${qualifiedNameProblem(c.type ?? '')}`));
}

function serviceRule(m: Manifest): string[] {
  if (m.kind !== 'Service') return [];
  const ports: Manifest[] = m.spec?.ports ?? [];
  const problems: string[] = [];
  if (ports.length > 1 && ports.some((p) => !p.name)) problems.push('a Service with several ports must name every port');
  for (const port of ports) {
    if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) problems.push(`Service port ${port.port} is outside 1-65535`);
    if (port.name !== undefined && portNameProblem(port.name)) problems.push(`Service port name "${port.name}" ${portNameProblem(port.name)}`);
  }
  if (m.spec?.clusterIP === 'None' && m.spec?.type && m.spec.type !== 'ClusterIP') problems.push('clusterIP None is only allowed with type ClusterIP');
  return problems;
}

function percentOrCount(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) return Number(value.slice(0, -1));
  return undefined;
}

function budgetRule(m: Manifest): string[] {
  if (m.kind !== 'PodDisruptionBudget') return [];
  const { minAvailable, maxUnavailable } = m.spec ?? {};
  const problems: string[] = [];
  if (minAvailable !== undefined && maxUnavailable !== undefined) problems.push('a PodDisruptionBudget may not set both minAvailable and maxUnavailable');
  for (const [field, value] of [['minAvailable', minAvailable], ['maxUnavailable', maxUnavailable]]) {
    if (value === undefined) continue;
    const amount = percentOrCount(value);
    if (amount === undefined || amount < 0 || (typeof value === 'string' && amount > 100)) problems.push(`PodDisruptionBudget ${field} ${value} is invalid`);
  }
  return problems;
}

function daemonSetRule(m: Manifest): string[] {
  if (m.kind !== 'DaemonSet' || m.spec?.updateStrategy?.type !== 'RollingUpdate') return [];
  const rolling = m.spec.updateStrategy.rollingUpdate ?? {};
  const unavailable = percentOrCount(rolling.maxUnavailable ?? 1);
  const surge = percentOrCount(rolling.maxSurge ?? 0);
  if (unavailable === undefined || surge === undefined) return ['DaemonSet rollingUpdate values must be counts or percentages'];
  if ((unavailable === 0) === (surge === 0)) return ['DaemonSet rollingUpdate needs exactly one of maxUnavailable and maxSurge non-zero'];
  return [];
}

/** Every per-manifest rule, in the order problems are reported. */
function clusterScopedRule(m: Manifest): string[] {
  if (!CLUSTER_SCOPED_KINDS.has(m.kind) || m.metadata?.namespace === undefined) return [];
  return [`metadata.namespace "${m.metadata.namespace}" is set on a cluster-scoped ${m.kind}: remove it (a namespaced chart copies its namespace onto every object)`];
}

export const API_RULES: Rule[] = [nameRule, labelRule, selectorRule, restartPolicyRule, containerRule, claimRule, podFailureConditionRule, serviceRule, budgetRule, daemonSetRule, clusterScopedRule];

/** Rules that span manifests: two objects of one kind with one name in one namespace collide. */
export function crossManifestProblems(manifests: Manifest[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const m of manifests) {
    const key = `${m.apiVersion}/${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
    if (seen.has(key)) problems.push(`${m.kind}/${m.metadata?.name}: defined twice`);
    seen.add(key);
  }
  return problems;
}
