/**
 * The one layer over what cdk8s-plus-27 lacks. Each helper writes a JSON patch onto the L1 object
 * of a cdk8s-plus construct (or creates the missing L1 object). Patches on typed `Kube*` objects
 * pass through the 1.27 typings after patching: Quantity and IntOrString values must be wrapped
 * (`k8s.Quantity`, `k8s.IntOrString`) or they are silently dropped, and fields newer than 1.27
 * vanish. Patches are applied BEFORE the typed object maps its TypeScript property names to
 * Kubernetes field names, so a patch must use the TypeScript name where the two differ
 * (`hostPid`, not `hostPID`): a key under the Kubernetes name is silently dropped.
 * Every helper is tested against the synthesized output.
 */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { ApiObject, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';

/** Where the pod spec lives in the L1 object of a workload. */
export function podSpecPath(owner: kplus.AbstractPod): string {
  if (owner instanceof kplus.CronJob) return '/spec/jobTemplate/spec/template/spec';
  if (owner instanceof kplus.Pod) return '/spec';
  return '/spec/template/spec';
}

/** Where the Job spec lives: a Job's own spec, or a CronJob's job template. */
function jobSpecPath(owner: kplus.Job | kplus.CronJob): string {
  return owner instanceof kplus.CronJob ? '/spec/jobTemplate/spec' : '/spec';
}

function patch(owner: Construct, path: string, value: unknown): void {
  ApiObject.of(owner).addJsonPatch(JsonPatch.add(path, value));
}

const ADDRESS_LABEL_POINTER = 'cdk8s.io~1metadata.addr';

/**
 * Removes cdk8s-plus's construct-path label (`cdk8s.io/metadata.addr`) from a workload's pod
 * template and from the selectors of Services that select it. It changes whenever a construct
 * moves in the tree; our selectors use the stable app.kubernetes.io labels instead.
 * The workload must be created with `select: false`.
 */
export function dropAddressLabel(owner: kplus.Workload, services: kplus.Service[] = []): void {
  const templatePath = owner instanceof kplus.CronJob ? '/spec/jobTemplate/spec/template' : '/spec/template';
  ApiObject.of(owner).addJsonPatch(JsonPatch.remove(`${templatePath}/metadata/labels/${ADDRESS_LABEL_POINTER}`));
  for (const service of services) ApiObject.of(service).addJsonPatch(JsonPatch.remove(`/spec/selector/${ADDRESS_LABEL_POINTER}`));
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
export function setHostPID(owner: kplus.AbstractPod): void {
  // The typed 1.27 object names the field `hostPid` and renders it as `hostPID`.
  patch(owner, `${podSpecPath(owner)}/hostPid`, true);
}

/** seccompProfile RuntimeDefault on the pod, required by the restricted Pod Security Standard. */
export function setPodSeccompRuntimeDefault(owner: kplus.AbstractPod): void {
  // cdk8s-plus always renders a pod securityContext (runAsNonRoot, fsGroupChangePolicy), so the parent exists.
  patch(owner, `${podSpecPath(owner)}/securityContext/seccompProfile`, { type: 'RuntimeDefault' });
}

/** Adds a field to one container of the pod (found by identity, init containers included). */
export function patchContainer(owner: kplus.AbstractPod, container: kplus.Container, field: string, value: unknown): void {
  patch(owner, `${containerPath(owner, container)}/${field}`, value);
}

function containerPath(owner: kplus.AbstractPod, container: kplus.Container): string {
  const main = owner.containers.indexOf(container);
  if (main >= 0) return `${podSpecPath(owner)}/containers/${main}`;
  const init = owner.initContainers.indexOf(container);
  if (init >= 0) return `${podSpecPath(owner)}/initContainers/${init}`;
  throw new Error(`${owner.node.path}: container "${container.name}" does not belong to this workload`);
}

/** A volume mount of a claim that cdk8s-plus does not know (a volumeClaimTemplate). */
export interface ClaimMount {
  /** The volumeClaimTemplate (or volume) name. */
  readonly claimName: string;
  /** The mount path. */
  readonly path: string;
  /**
   * A subdirectory of the volume to mount.
   * @default - the volume's root
   */
  readonly subPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/**
 * Mounts a volumeClaimTemplate into a container. The container must already have a cdk8s-plus
 * mount (so its volumeMounts array exists at synth and the patch appends instead of replacing).
 */
export function mountClaim(owner: kplus.AbstractPod, container: kplus.Container, mount: ClaimMount): void {
  if (container.mounts.length === 0) {
    throw new Error(`${owner.node.path}: mount a cdk8s-plus volume into container "${container.name}" before mountClaim(), so the claim mount appends`);
  }
  patch(owner, `${containerPath(owner, container)}/volumeMounts/-`, {
    name: mount.claimName,
    mountPath: mount.path,
    ...(mount.subPath ? { subPath: mount.subPath } : {}),
    ...(mount.readOnly ? { readOnly: true } : {}),
  });
}

/** One per-pod PersistentVolumeClaim of a StatefulSet. */
export interface VolumeClaimTemplate {
  /** The claim name, also the volume name containers mount. */
  readonly name: string;
  /** Requested size: a whole number of MiB at least. */
  readonly storage: Size;
  /**
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /** @default [ReadWriteOnce] */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/** A Size as a Kubernetes quantity string: whole GiB as `Gi`, otherwise whole MiB as `Mi`. */
export function sizeToQuantityString(size: Size): string {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(gib) ? `${gib}Gi` : `${size.toMebibytes()}Mi`;
}

/** `volumeClaimTemplates` on a StatefulSet. */
export function setVolumeClaimTemplates(sts: kplus.StatefulSet, templates: VolumeClaimTemplate[]): void {
  patch(sts, '/spec/volumeClaimTemplates', templates.map((t) => ({
    metadata: { name: t.name, ...(t.labels ? { labels: { ...t.labels } } : {}) },
    spec: {
      accessModes: t.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      ...(t.storageClassName ? { storageClassName: t.storageClassName } : {}),
      resources: { requests: { storage: k8s.Quantity.fromString(sizeToQuantityString(t.storage)) } },
    },
  })));
}

/** What happens to a StatefulSet's claims. */
export enum PvcRetention {
  /** Keep the claims and their data. */
  RETAIN = 'Retain',
  /** Delete the claims (and, with a Delete reclaim policy, the data). */
  DELETE = 'Delete',
}

/** `persistentVolumeClaimRetentionPolicy` on a StatefulSet (1.27 beta, on by default). */
export function setPvcRetentionPolicy(sts: kplus.StatefulSet, whenDeleted: PvcRetention, whenScaled: PvcRetention): void {
  patch(sts, '/spec/persistentVolumeClaimRetentionPolicy', { whenDeleted, whenScaled });
}

/** `publishNotReadyAddresses` on a Service: peers must resolve each other before they are ready. */
export function setPublishNotReadyAddresses(service: kplus.Service): void {
  patch(service, '/spec/publishNotReadyAddresses', true);
}

/** `podManagementPolicy` and the rolling-update partition of a StatefulSet are kplus props; minReadySeconds is not. */
export function setMinReadySeconds(owner: kplus.StatefulSet | kplus.DaemonSet, seconds: number): void {
  patch(owner, '/spec/minReadySeconds', seconds);
}

/** A PodDisruptionBudget: exactly one of minAvailable or maxUnavailable. */
export interface PodDisruptionBudgetSpec {
  /** @default - a name derived from the construct path */
  readonly name?: string;
  readonly selectorLabels: Record<string, string>;
  readonly minAvailable?: k8s.IntOrString;
  readonly maxUnavailable?: k8s.IntOrString;
}

/** The PodDisruptionBudget cdk8s-plus-27 lacks, as a typed L1 object. */
export function createPodDisruptionBudget(scope: Construct, id: string, spec: PodDisruptionBudgetSpec): k8s.KubePodDisruptionBudget {
  if ((spec.minAvailable === undefined) === (spec.maxUnavailable === undefined)) {
    throw new ConfigurationError(scope, 'disruption budget', 'must set exactly one of minAvailable and maxUnavailable', Object.keys(spec).filter((k) => k !== 'selectorLabels' && k !== 'name'), 'Pass either minAvailable or maxUnavailable.');
  }
  return new k8s.KubePodDisruptionBudget(scope, id, {
    ...(spec.name ? { metadata: { name: spec.name } } : {}),
    spec: {
      selector: { matchLabels: { ...spec.selectorLabels } },
      ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
      ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
    },
  });
}

/** How a Job's pods are counted. */
export enum CompletionMode {
  /** Any `completions` successful pods finish the Job. */
  NON_INDEXED = 'NonIndexed',
  /** Each index 0..completions-1 must succeed once; pods see JOB_COMPLETION_INDEX. */
  INDEXED = 'Indexed',
}

/** The Job fields cdk8s-plus-27 does not expose. */
export interface JobSpecExtras {
  /** @default - unset (work queue) */
  readonly completions?: number;
  /** @default - unset (1) */
  readonly parallelism?: number;
  /** @default - unset (NonIndexed) */
  readonly completionMode?: CompletionMode;
  /** @default - none */
  readonly podFailurePolicy?: k8s.PodFailurePolicy;
  /** @default - unset (false) */
  readonly suspend?: boolean;
  /**
   * For CronJobs: cdk8s-plus-27 refuses ttlAfterFinished together with history limits, but
   * Kubernetes applies both (whichever removes a Job first).
   * @default - unset
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** completions, parallelism, completionMode, podFailurePolicy and suspend on a Job or a CronJob's template. */
export function setJobSpecExtras(owner: kplus.Job | kplus.CronJob, extras: JobSpecExtras): void {
  const base = jobSpecPath(owner);
  for (const [field, value] of Object.entries(extras)) {
    if (value !== undefined) patch(owner, `${base}/${field}`, value);
  }
}

/** A DaemonSet update strategy. Percent values are strings like "10%"; numbers are pod counts. */
export interface DaemonSetRollingUpdate {
  readonly maxUnavailable: k8s.IntOrString;
  readonly maxSurge: k8s.IntOrString;
}

/** `updateStrategy` on a DaemonSet: RollingUpdate with the given bounds, or OnDelete when undefined. */
export function setDaemonSetUpdateStrategy(ds: kplus.DaemonSet, rollingUpdate: DaemonSetRollingUpdate | undefined): void {
  patch(ds, '/spec/updateStrategy', rollingUpdate
    ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: rollingUpdate.maxUnavailable, maxSurge: rollingUpdate.maxSurge } }
    : { type: 'OnDelete' });
}
