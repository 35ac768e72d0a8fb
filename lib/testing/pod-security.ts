/** The restricted Pod Security Standard, checked the way the admission plugin checks it. */
import { containersOf, Manifest, podSpecOf } from './pod';

const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Why a workload's pods fail the restricted level (empty: they pass). Kinds without pods pass. */
export function restrictedPodSecurityProblems(manifest: Manifest): string[] {
  const pod = podSpecOf(manifest);
  if (!pod) return [];
  const problems: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field]) problems.push(`${field} is not allowed`);
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.includes(type)) problems.push(`volume "${volume.name}" of type ${type} is not allowed`);
  }
  const podContext = pod.securityContext ?? {};
  if (podContext.runAsUser === 0) problems.push('pod runAsUser 0 is not allowed');
  for (const { container } of containersOf(pod)) {
    const where = `container "${container.name}"`;
    const context = container.securityContext ?? {};
    if (context.privileged) problems.push(`${where} is privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${where} must set allowPrivilegeEscalation false`);
    if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${where} must run as non-root (runAsNonRoot true)`);
    if (context.runAsUser === 0) problems.push(`${where} runAsUser 0 is not allowed`);
    const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where} needs seccompProfile RuntimeDefault or Localhost`);
    const capabilities = context.capabilities ?? {};
    if (!(capabilities.drop ?? []).includes('ALL')) problems.push(`${where} must drop ALL capabilities`);
    const added = (capabilities.add ?? []).filter((c: string) => c !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`${where} adds capabilities ${added.join(', ')}`);
    for (const port of container.ports ?? []) if (port.hostPort) problems.push(`${where} uses hostPort ${port.hostPort}`);
  }
  return problems;
}

/**
 * Production checks beyond what the API server enforces: every container has explicit cpu and
 * memory requests and limits, and none carries cdk8s-plus's injected defaults.
 */
export function productionProblems(manifest: Manifest): string[] {
  const pod = podSpecOf(manifest);
  if (!pod) return [];
  const problems: string[] = [];
  for (const { container } of containersOf(pod)) {
    const where = `container "${container.name}"`;
    const r = container.resources ?? {};
    for (const side of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) if (r[side]?.[resource] === undefined) problems.push(`${where} has no ${resource} ${side.slice(0, -1)}`);
    }
    if (r.requests?.cpu === '1000m' && r.requests?.memory === '512Mi' && r.limits?.cpu === '1500m' && r.limits?.memory === '2048Mi') {
      problems.push(`${where} carries cdk8s-plus's injected default resources`);
    }
  }
  return problems;
}
