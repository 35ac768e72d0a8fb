/** StatefulSet fields cdk8s-plus-27 lacks: claim templates, their mounts and retention (see patch.ts). */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { patch } from './patch';
import { containerPath } from './pod';
import { sizeToQuantityString } from './quantity';

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
