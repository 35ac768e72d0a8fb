/**
 * Rules on each pod template: resources, probes, Pod Security, pinned images, literal secrets in
 * env. Resources and the restricted level reuse the test harness's checkers (lib/testing), so the
 * readiness report and `Harness.synthValid(chart, { restricted: true, production: true })` agree.
 */
import { PodSecurityLevel } from '../../node-agents/node-agent';
import { unpinnedImageProblem } from '../../defaults/container';
import { containersOf, Manifest, podSpecOf } from '../../testing/pod';
import { productionProblems, restrictedPodSecurityProblems } from '../../testing/pod-security';
import { CheckContext, CheckedObject, Finding, LONG_RUNNING_KINDS, namespaceOf, RuleCheck } from './model';
import { ReadinessRule } from './rules';

/** The JSON path of a workload's pod spec. */
function podSpecPath(m: Manifest): string {
  if (m.kind === 'Pod') return 'spec';
  if (m.kind === 'CronJob') return 'spec.jobTemplate.spec.template.spec';
  return 'spec.template.spec';
}

/** Each container with its JSON path, init containers first. */
function containersWithPath(m: Manifest, pod: Manifest): { container: Manifest; init: boolean; path: string }[] {
  const base = podSpecPath(m);
  let i = 0;
  let j = 0;
  return containersOf(pod).map(({ container, init }) => ({ container, init, path: init ? `${base}.initContainers[${i++}]` : `${base}.containers[${j++}]` }));
}

function podObjects(context: CheckContext): { object: CheckedObject; pod: Manifest }[] {
  return context.objects.flatMap((object) => {
    const pod = podSpecOf(object.manifest);
    return pod ? [{ object, pod }] : [];
  });
}

const resources: RuleCheck = (context) => podObjects(context).flatMap(({ object }) =>
  productionProblems(object.manifest).map((message) => ({
    rule: ReadinessRule.RESOURCES, object, message, location: podSpecPath(object.manifest),
    fix: 'Set resources.requests and resources.limits for cpu and memory on the container (measure the real usage; cdk8s-plus injects 1000m/512Mi and 1500m/2048Mi otherwise).',
  })));

const probes: RuleCheck = (context) => podObjects(context)
  .filter(({ object }) => LONG_RUNNING_KINDS.includes(object.manifest.kind) || object.manifest.kind === 'Pod')
  .flatMap(({ object, pod }) => containersWithPath(object.manifest, pod).filter((c) => !c.init).flatMap(({ container, path }) =>
    (['readinessProbe', 'livenessProbe'] as const).filter((probe) => !container[probe]).map((probe) => ({
      rule: ReadinessRule.PROBES, object, location: path,
      message: `container "${container.name}" has no ${probe}`,
      fix: probe === 'readinessProbe'
        ? 'Add a readinessProbe that fails while the container cannot serve (Services and rollouts wait for it).'
        : 'Add a livenessProbe that fails only when a restart helps (a hung process), with a generous failureThreshold.',
    }))));

/** The baseline level: what the restricted checker also forbids, minus the restricted-only requirements. */
function baselineProblems(pod: Manifest): string[] {
  const problems: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) problems.push(`${field} is not allowed`);
  for (const volume of pod.volumes ?? []) if (volume.hostPath) problems.push(`volume "${volume.name}" of type hostPath is not allowed`);
  // The baseline level's allowed capability additions (Pod Security Standards, "Capabilities").
  const allowed = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
  if (pod.securityContext?.seccompProfile?.type === 'Unconfined') problems.push('pod seccompProfile Unconfined is not allowed');
  for (const { container } of containersOf(pod)) {
    const where = `container "${container.name}"`;
    const sc = container.securityContext ?? {};
    if (sc.privileged) problems.push(`${where} is privileged`);
    const added = (sc.capabilities?.add ?? []).filter((c: string) => !allowed.includes(c));
    if (added.length > 0) problems.push(`${where} adds capabilities ${added.join(', ')}`);
    if (sc.seccompProfile?.type === 'Unconfined') problems.push(`${where} seccompProfile Unconfined is not allowed`);
    for (const port of container.ports ?? []) if (port.hostPort) problems.push(`${where} uses hostPort ${port.hostPort}`);
  }
  return problems;
}

const podSecurity: RuleCheck = (context) => podObjects(context).flatMap(({ object, pod }) => {
  const level = context.podSecurityLevel(namespaceOf(object.manifest));
  if (level === PodSecurityLevel.PRIVILEGED) return [];
  const problems = level === PodSecurityLevel.BASELINE ? baselineProblems(pod) : restrictedPodSecurityProblems(object.manifest);
  const ns = namespaceOf(object.manifest) || '(no namespace)';
  return problems.map((problem) => ({
    rule: ReadinessRule.POD_SECURITY, object, location: podSpecPath(object.manifest),
    message: `${level} level of namespace ${ns}: ${problem}`,
    fix: level === PodSecurityLevel.RESTRICTED
      ? 'Run as a numeric non-root user with allowPrivilegeEscalation false, capabilities drop ALL and seccompProfile RuntimeDefault; or, if the workload truly needs more, label its namespace pod-security.kubernetes.io/enforce with the level it needs.'
      : 'Remove host namespaces, hostPath, hostPort, privileged and extra capabilities; or label the namespace pod-security.kubernetes.io/enforce: privileged (node agents).',
  }));
});

const pinnedImages: RuleCheck = (context) => podObjects(context).flatMap(({ object, pod }) =>
  containersWithPath(object.manifest, pod).flatMap(({ container, path }): Finding[] => {
    const unpinned = unpinnedImageProblem(String(container.image ?? ''));
    return unpinned ? [{
      rule: ReadinessRule.PINNED_IMAGES, object, location: `${path}.image`,
      message: `container "${container.name}" image "${container.image}" ${unpinned.problem}`, fix: unpinned.fix,
    }] : [];
  }));

/** Env names that hold credentials; `_FILE`/`_PATH`/`_DIR`/`_NAME` variants hold references to them. */
const SECRET_ENV = /(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
const REFERENCE_ENV = /_(FILE|PATH|DIR|NAME)$/i;

const literalSecretEnv: RuleCheck = (context) => podObjects(context).flatMap(({ object, pod }) =>
  containersWithPath(object.manifest, pod).flatMap(({ container, path }) =>
    (container.env ?? []).map((e: Manifest, i: number) => ({ e, i }))
      .filter(({ e }: { e: Manifest }) => typeof e.value === 'string' && e.value !== '' && SECRET_ENV.test(e.name) && !REFERENCE_ENV.test(e.name))
      .map(({ e, i }: { e: Manifest; i: number }) => ({
        rule: ReadinessRule.INLINE_SECRETS, object, location: `${path}.env[${i}]`,
        message: `container "${container.name}" env ${e.name} has a literal value`,
        fix: `Reference a Secret instead: env ${e.name} with valueFrom.secretKeyRef (or mount the Secret and pass ${e.name}_FILE).`,
      }))));

/** Secrets whose data is in the manifests (readable by anyone with the repository). */
const inlineSecretObjects: RuleCheck = (context) => context.objects
  .filter(({ manifest }) => manifest.kind === 'Secret')
  .flatMap((object): Finding[] => ['data', 'stringData'].filter((field) => Object.keys(object.manifest[field] ?? {}).length > 0).map((field) => ({
    rule: ReadinessRule.INLINE_SECRETS, object, location: field,
    message: `Secret ${object.manifest.metadata?.name} carries ${field} (${Object.keys(object.manifest[field]).join(', ')}) in the manifests`,
    fix: 'Create the Secret outside the manifests (kubectl create secret, External Secrets, Sealed Secrets) and reference it by name.',
  })));

export const POD_RULES: RuleCheck[] = [resources, probes, podSecurity, pinnedImages, literalSecretEnv, inlineSecretObjects];
