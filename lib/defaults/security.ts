import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { dnsLabelProblem } from '../kube/names';

/**
 * The numeric user an image runs as. Kubelet only accepts `runAsNonRoot` with a numeric uid
 * (the official images start as root or name their user), so every engine declares its own.
 */
export interface ImageUser {
  /** The uid the image's process runs as, e.g. 999 for the official postgres image. */
  readonly uid: number;
  /** The primary gid. */
  readonly gid: number;
  /**
   * The group that owns mounted volumes.
   * @default - the gid
   */
  readonly fsGroup?: number;
}

/**
 * A container security context that meets the restricted Pod Security Standard:
 * non-root numeric uid, no privilege escalation, every capability dropped, read-only root
 * filesystem (writable paths come from `mountWritablePaths`). Seccomp RuntimeDefault is set on
 * the pod by `setPodSeccompRuntimeDefault` because cdk8s-plus-27 has no field for it.
 */
export function restrictedContainerSecurityContext(user: ImageUser): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: user.uid,
    group: user.gid,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    // cdk8s-plus-27's Capability enum has no ALL; the field is rendered verbatim, and the API wants "ALL".
    capabilities: { drop: [DROP_ALL] },
  };
}

/**
 * The pod security context for the restricted standard. fsGroupChangePolicy OnRootMismatch: a
 * recursive chown of a large data volume on every start delays start-up by minutes.
 */
export function restrictedPodSecurityContext(user: ImageUser): kplus.PodSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: user.uid,
    group: user.gid,
    fsGroup: user.fsGroup ?? user.gid,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
  };
}

const DROP_ALL = 'ALL' as kplus.Capability;

/** A path the image writes to, backed by an emptyDir because the root filesystem is read-only. */
export interface WritablePath {
  /** Where it is mounted, e.g. `/var/run/postgresql`. */
  readonly path: string;
  /** The volume name (a DNS label, unique in the pod), e.g. `run`. */
  readonly volumeName: string;
  /**
   * Memory-backed (tmpfs), e.g. for `/dev/shm`. Counts against the container's memory limit.
   * @default false
   */
  readonly inMemory?: boolean;
  /**
   * The most the volume may hold before the pod is evicted.
   * @default - no limit for disk, 64Mi for memory-backed volumes
   */
  readonly sizeLimit?: Size;
}

/** Mounts one emptyDir per path into every given container (init containers included). */
export function mountWritablePaths(scope: Construct, containers: kplus.Container[], paths: WritablePath[], prop = 'writablePaths'): void {
  paths.forEach((writable, i) => {
    const problem = dnsLabelProblem(writable.volumeName);
    if (problem) throw new ConfigurationError(scope, `${prop}[${i}].volumeName`, problem, writable.volumeName, 'Use a volume name of lowercase letters, digits and "-", e.g. "tmp".');
    if (scope.node.tryFindChild(`writable-${writable.volumeName}`) || paths.slice(0, i).some((p) => p.volumeName === writable.volumeName)) {
      throw new ConfigurationError(scope, `${prop}[${i}].volumeName`, 'is used by another writable path', writable.volumeName, 'Give every writable path its own volume name.');
    }
    if (!writable.path.startsWith('/')) throw new ConfigurationError(scope, `${prop}[${i}].path`, 'must be an absolute path', writable.path, `Use e.g. "/${writable.path}".`);
    for (const container of containers) {
      if (container.mounts.some((m) => m.path === writable.path) || paths.slice(0, i).some((p) => p.path === writable.path)) {
        throw new ConfigurationError(scope, `${prop}[${i}].path`, `is already mounted in container "${container.name}"`, writable.path, 'Mount each path once; remove the duplicate.');
      }
    }
  });
  for (const writable of paths) {
    const volume = kplus.Volume.fromEmptyDir(scope, `writable-${writable.volumeName}`, writable.volumeName, {
      medium: writable.inMemory ? kplus.EmptyDirMedium.MEMORY : kplus.EmptyDirMedium.DEFAULT,
      sizeLimit: writable.sizeLimit ?? (writable.inMemory ? Size.mebibytes(64) : undefined),
    });
    for (const container of containers) container.mount(writable.path, volume);
  }
}
