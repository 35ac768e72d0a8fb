/** Host access of a node agent: hostPath mounts (hostPID is set through lib/kube/pod.ts). */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dnsLabelProblem } from '../kube/names';
import { ConfigurationError } from '../errors';

/** A directory of the node mounted into the agent. */
export interface HostPathMount {
  /** The volume name (a DNS label, unique in the pod), e.g. `varlog`. */
  readonly volumeName: string;
  /** The path on the node, e.g. `/var/log`. */
  readonly hostPath: string;
  /**
   * Where the container sees it.
   * @default - the host path
   */
  readonly mountPath?: string;
  /**
   * Mounted read-write. Only for what the agent must write (offset databases, buffers): a
   * writable host path lets a compromised agent change the node.
   * @default false
   */
  readonly writable?: boolean;
  /**
   * What kubelet checks before mounting.
   * @default - DIRECTORY_OR_CREATE when writable, DIRECTORY otherwise (fail fast if missing)
   */
  readonly hostPathType?: kplus.HostPathVolumeType;
  /**
   * Mount propagation, e.g. HOST_TO_CONTAINER for `/` so later host mounts are visible.
   * @default - none (private)
   */
  readonly propagation?: kplus.MountPropagation;
}

/** Validates and mounts host paths into the container: read-only unless `writable`. */
export function mountHostPaths(scope: Construct, container: kplus.Container, mounts: HostPathMount[]): void {
  const names = new Set<string>();
  mounts.forEach((mount, i) => {
    const prop = `hostPaths[${i}]`;
    const problem = dnsLabelProblem(mount.volumeName);
    if (problem) throw new ConfigurationError(scope, `${prop}.volumeName`, problem, mount.volumeName, 'Use a short lowercase name such as "varlog".');
    if (names.has(mount.volumeName)) throw new ConfigurationError(scope, `${prop}.volumeName`, 'is already used by another host path', mount.volumeName, 'Give every host path its own volume name.');
    names.add(mount.volumeName);
    if (!mount.hostPath.startsWith('/')) throw new ConfigurationError(scope, `${prop}.hostPath`, 'must be absolute', mount.hostPath, 'Start the path with "/".');
    const volume = kplus.Volume.fromHostPath(scope, `host-${mount.volumeName}`, mount.volumeName, {
      path: mount.hostPath,
      type: mount.hostPathType ?? (mount.writable ? kplus.HostPathVolumeType.DIRECTORY_OR_CREATE : kplus.HostPathVolumeType.DIRECTORY),
    });
    container.mount(mount.mountPath ?? mount.hostPath, volume, {
      readOnly: !mount.writable,
      ...(mount.propagation ? { propagation: mount.propagation } : {}),
    });
  });
}
