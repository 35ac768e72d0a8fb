/**
 * NetworkPolicy and Service selection evaluated on synthesized manifests, with namespaces, by
 * Kubernetes semantics: what the pattern tests use to prove each hop is admitted and strangers are not.
 */
import { findManifest, Manifest } from '../../lib/testing/validate';

/** A pod as a NetworkPolicy sees it: its labels and its namespace's labels. */
export interface PodRef {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const matches = (selector: Manifest | undefined, labels: Record<string, string>): boolean => {
  if (selector?.matchExpressions) throw new Error('matchExpressions are not evaluated here');
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
};
/** The label the API server sets on every Namespace. */
const namespaceLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

/** The pod a workload's template makes, in the workload's namespace. */
export function podOf(manifests: Manifest[], kind: string, name: string): PodRef {
  const w = findManifest(manifests, kind, name);
  return { namespace: w.metadata.namespace, labels: { ...w.spec.template.metadata.labels } };
}

function peerAdmits(peer: Manifest, policyNamespace: string, source: PodRef): boolean {
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(source.namespace)) : source.namespace === policyNamespace;
  return nsOk && (peer.podSelector ? matches(peer.podSelector, source.labels) : true);
}

/**
 * Whether `source` may open a TCP connection to `target` on `port`, by Kubernetes semantics:
 * a pod selected by no Ingress policy admits everything; otherwise the union of the policies
 * selecting it decides.
 */
export function admits(manifests: Manifest[], target: PodRef, source: PodRef, port: number): boolean {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === target.namespace
    && matches(m.spec.podSelector, target.labels) && (m.spec.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (policies.length === 0) return true;
  return policies.some((p) => (p.spec.ingress ?? []).some((rule: Manifest) =>
    (rule.ports === undefined || rule.ports.some((pp: Manifest) => (pp.protocol ?? 'TCP') === 'TCP' && pp.port === port))
    && (rule.from === undefined || rule.from.some((peer: Manifest) => peerAdmits(peer, p.metadata.namespace, source)))));
}

/** Whether a Service's selector picks the pod (same namespace). */
export function selects(manifests: Manifest[], service: string, namespace: string, pod: PodRef): boolean {
  const s = manifests.find((m) => m.kind === 'Service' && m.metadata.name === service && m.metadata.namespace === namespace);
  if (!s) throw new Error(`no Service ${namespace}/${service}`);
  return pod.namespace === namespace && Object.keys(s.spec.selector ?? {}).length > 0 && matches({ matchLabels: s.spec.selector }, pod.labels);
}
