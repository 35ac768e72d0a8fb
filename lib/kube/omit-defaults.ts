import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Leaves out of the synthesized manifests the fields cdk8s-plus-27 always writes although they
 * equal what the API server fills in anyway: less YAML to read and review, and less to serialize
 * (synth time follows the number of YAML nodes, BENCHMARK.md). Only a field equal to the
 * Kubernetes default is removed, so the objects mean the same to the API server:
 * - ConfigMap/Secret `immutable: false`;
 * - Service `externalIPs: []`, `type: ClusterIP`;
 * - StatefulSet/Deployment/DaemonSet `minReadySeconds: 0`;
 * - pod spec `dnsPolicy: ClusterFirst`, `hostNetwork: false`, `setHostnameAsFQDN: false`,
 *   `restartPolicy: Always` (never written on Job pods, which must say Never or OnFailure);
 * - container `securityContext.privileged: false` (the restricted Pod Security Standard accepts
 *   it unset; `allowPrivilegeEscalation: false` and `runAsNonRoot` stay, it requires them);
 * - emptyDir `medium: ""`.
 * Kept on purpose although they equal a default: probe timings (all four, so a reviewer sees the
 * whole budget of a probe), `podManagementPolicy`, `updateStrategy` and the PVC retention policy
 * of a StatefulSet (they are props, and Retain is what keeps the data), NetworkPolicy `protocol:
 * TCP` (next to the UDP DNS rule) and `policyTypes`, and `imagePullPolicy: IfNotPresent` (the
 * server's default depends on the tag).
 */
export function omitKubernetesDefaults(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject) || WRAPPED.has(child)) continue;
    WRAPPED.add(child);
    const toJson = child.toJson.bind(child);
    child.toJson = () => omitDefaults(toJson());
  }
}

const WRAPPED = new WeakSet<ApiObject>();

type Json = Record<string, any>;

const POD_TEMPLATE_OWNERS = new Set(['StatefulSet', 'Deployment', 'DaemonSet', 'ReplicaSet']);

function omitDefaults(manifest: Json): Json {
  const kind = manifest.kind;
  if (kind === 'ConfigMap' || kind === 'Secret') {
    if (manifest.immutable === false) delete manifest.immutable;
  } else if (kind === 'Service') {
    const spec = manifest.spec;
    if (spec) {
      if (Array.isArray(spec.externalIPs) && spec.externalIPs.length === 0) delete spec.externalIPs;
      if (spec.type === 'ClusterIP') delete spec.type;
    }
  } else if (POD_TEMPLATE_OWNERS.has(kind)) {
    if (manifest.spec?.minReadySeconds === 0) delete manifest.spec.minReadySeconds;
    omitPodDefaults(manifest.spec?.template?.spec);
  } else if (kind === 'Job') {
    omitPodDefaults(manifest.spec?.template?.spec);
  } else if (kind === 'CronJob') {
    omitPodDefaults(manifest.spec?.jobTemplate?.spec?.template?.spec);
  }
  return manifest;
}

function omitPodDefaults(pod: Json | undefined): void {
  if (!pod) return;
  if (pod.dnsPolicy === 'ClusterFirst') delete pod.dnsPolicy;
  if (pod.hostNetwork === false) delete pod.hostNetwork;
  if (pod.setHostnameAsFQDN === false) delete pod.setHostnameAsFQDN;
  if (pod.restartPolicy === 'Always') delete pod.restartPolicy;
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    if (container.securityContext?.privileged === false) delete container.securityContext.privileged;
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.emptyDir?.medium === '') delete volume.emptyDir.medium;
  }
}
