/** Pod-template fields cdk8s-plus-27 lacks, on any workload (see patch.ts for the traps). */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { ApiObject, JsonPatch } from 'cdk8s';
import { patch } from './patch';

/** Where the pod spec lives in the L1 object of a workload. */
export function podSpecPath(owner: kplus.AbstractPod): string {
  if (owner instanceof kplus.CronJob) return '/spec/jobTemplate/spec/template/spec';
  if (owner instanceof kplus.Pod) return '/spec';
  return '/spec/template/spec';
}

const ADDRESS_LABEL_POINTER = 'cdk8s.io~1metadata.addr';

/**
 * Replaces cdk8s-plus's construct-path label (`cdk8s.io/metadata.addr`) by our stable labels:
 * removes it from the workload's pod template and from the selectors of the given Services (it
 * changes whenever a construct moves in the tree), and makes every cdk8s-plus API that selects
 * the workload's pods (a Service `selector`, `connections.allowFrom/allowTo`, NetworkPolicy
 * peers, `exposeViaService`, pod affinity) select `labels` instead, which the pods carry.
 * The workload must be created with `select: false`.
 */
export function useStableLabels(owner: kplus.Workload, labels: Record<string, string>, services: kplus.Service[] = []): void {
  const templatePath = owner instanceof kplus.CronJob ? '/spec/jobTemplate/spec/template' : '/spec/template';
  ApiObject.of(owner).addJsonPatch(JsonPatch.remove(`${templatePath}/metadata/labels/${ADDRESS_LABEL_POINTER}`));
  for (const service of services) ApiObject.of(service).addJsonPatch(JsonPatch.remove(`/spec/selector/${ADDRESS_LABEL_POINTER}`));
  const stable = { ...labels };
  const toPodSelectorConfig = (): kplus.PodSelectorConfig => ({
    labelSelector: kplus.LabelSelector.of({ labels: stable }),
    namespaces: owner.metadata.namespace ? { names: [owner.metadata.namespace] } : undefined,
  });
  // cdk8s-plus reads the construct-path label here; there is no hook, so the instance method is replaced.
  Object.defineProperty(owner, 'toPodSelectorConfig', { value: toPodSelectorConfig });
}

/** `nodeSelector` on the pod template. */
export function setNodeSelector(owner: kplus.AbstractPod, labels: Record<string, string>): void {
  patch(owner, `${podSpecPath(owner)}/nodeSelector`, { ...labels });
}

/** `priorityClassName` on the pod template. */
export function setPriorityClassName(owner: kplus.AbstractPod, name: string): void {
  patch(owner, `${podSpecPath(owner)}/priorityClassName`, name);
}

/** `topologySpreadConstraints` on the pod template. */
export function setTopologySpreadConstraints(owner: kplus.AbstractPod, constraints: k8s.TopologySpreadConstraint[]): void {
  patch(owner, `${podSpecPath(owner)}/topologySpreadConstraints`, constraints);
}

/** `affinity` on the pod template, with selectors of our own labels (cdk8s-plus uses its path label). */
export function setAffinity(owner: kplus.AbstractPod, affinity: k8s.Affinity): void {
  patch(owner, `${podSpecPath(owner)}/affinity`, affinity);
}

/** `tolerations` on the pod template. */
export function setTolerations(owner: kplus.AbstractPod, tolerations: k8s.Toleration[]): void {
  patch(owner, `${podSpecPath(owner)}/tolerations`, tolerations);
}

/** `hostPID: true` on the pod template (cdk8s-plus-27 has hostNetwork but no hostPID). */
export function setHostPid(owner: kplus.AbstractPod): void {
  // The typed 1.27 object names the field `hostPid` and renders it as `hostPID`.
  patch(owner, `${podSpecPath(owner)}/hostPid`, true);
}

/** seccompProfile RuntimeDefault on the pod, required by the restricted Pod Security Standard. */
export function setPodSeccompRuntimeDefault(owner: kplus.AbstractPod): void {
  // cdk8s-plus always renders a pod securityContext (runAsNonRoot, fsGroupChangePolicy), so the parent exists.
  patch(owner, `${podSpecPath(owner)}/securityContext/seccompProfile`, { type: 'RuntimeDefault' });
}

/** The JSON pointer of one container of the pod (found by identity, init containers included). */
export function containerPath(owner: kplus.AbstractPod, container: kplus.Container): string {
  const main = owner.containers.indexOf(container);
  if (main >= 0) return `${podSpecPath(owner)}/containers/${main}`;
  const init = owner.initContainers.indexOf(container);
  if (init >= 0) return `${podSpecPath(owner)}/initContainers/${init}`;
  throw new Error(`${owner.node.path}: container "${container.name}" does not belong to this workload`);
}

/**
 * `enableServiceLinks: false` on the pod template (cdk8s-plus-27 has no prop for it): no
 * `<SERVICE>_PORT`-style variables for every Service of the namespace, which are legacy, grow
 * with the namespace, and can collide with variables an image reads as settings.
 */
export function disableServiceLinks(owner: kplus.AbstractPod): void {
  patch(owner, `${podSpecPath(owner)}/enableServiceLinks`, false);
}
