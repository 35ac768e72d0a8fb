/**
 * NodeExporterDaemon: Prometheus node-exporter on every node, reading the host's /proc, /sys
 * and / through read-only mounts, in the host network and PID namespaces.
 */
import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigurationError } from '../errors';
import { presetResources, ResourcePreset } from '../defaults/resources';
import { NODE_AGENT_PROP_KEYS, NodeAgent, NodeAgentProps } from './node-agent';
import { PropKeys, rejectUnknownProps } from '../defaults/props';
import { TaintTolerance } from './scheduling';

const DEFAULT_NODE_EXPORTER_IMAGE = 'prom/node-exporter:v1.8.2';

/** Props of a NodeExporterDaemon. */
/** The props NodeExporterDaemon adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<NodeExporterDaemonProps, keyof NodeAgentProps>> = { port: true, extraArgs: true };

export interface NodeExporterDaemonProps extends NodeAgentProps {
  /**
   * The port it listens on, in the node's network namespace.
   * @default 9100
   */
  readonly port?: number;
  /**
   * More node-exporter flags, e.g. `['--collector.systemd']`.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/**
 * A node-exporter on every node (every taint tolerated by default: a node without metrics is
 * a blind spot).
 *
 * Pod Security: hostNetwork (metrics about the node's interfaces), hostPID (processes) and
 * hostPath (/proc, /sys, /) are all forbidden by the baseline level, so its namespace must
 * enforce `privileged`. The process itself is unprivileged: uid 65534, no capabilities,
 * read-only root filesystem, read-only mounts.
 */
export class NodeExporterDaemon extends NodeAgent {
  /** The port metrics are served on. */
  public readonly port: number;
  /** The node-exporter arguments, as in the manifest. */
  public readonly args: string[];

  constructor(scope: Construct, id: string, props: NodeExporterDaemonProps = {}) {
    rejectUnknownProps(scope.node.path ? `${scope.node.path}/${id}` : id, props, { ...NODE_AGENT_PROP_KEYS, ...OWN_PROPS }, 'NodeExporterDaemonProps');
    const port = props.port ?? 9100;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ConfigurationError(scope.node.path ? `${scope.node.path}/${id}` : id, 'port', 'must be an integer in 1-65535', port, 'Use 9100, the registered node-exporter port.');
    }
    if (port < 1024) {
      // uid 65534 with every capability dropped cannot bind a privileged port on the host network.
      throw new ConfigurationError(scope.node.path ? `${scope.node.path}/${id}` : id, 'port', 'must be 1024 or above: the exporter runs as uid 65534 without NET_BIND_SERVICE on the host network and would exit with "bind: permission denied"', port, 'Use 9100, the registered node-exporter port.');
    }
    const args = [
      '--path.procfs=/host/proc',
      '--path.sysfs=/host/sys',
      '--path.rootfs=/host/root',
      `--web.listen-address=:${port}`,
      // Container and kubelet mounts would otherwise add one filesystem series per pod volume.
      '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)',
      ...(props.extraArgs ?? []),
    ];
    super(scope, id, props, {
      app: 'node-exporter',
      component: 'metrics',
      defaultNamespace: 'monitoring',
      defaultImage: DEFAULT_NODE_EXPORTER_IMAGE,
      defaultResources: presetResources(ResourcePreset.NANO),
      defaultTolerance: TaintTolerance.all(),
      defaultTerminationGracePeriod: Duration.seconds(30),
      // The image's `nobody`, numerically: kubelet only verifies runAsNonRoot with a numeric uid.
      uid: 65534,
      gid: 65534,
      port,
      healthPath: '/',
      livenessPath: '/',
      metricsPath: '/metrics',
      args,
      hostPaths: [
        { volumeName: 'proc', hostPath: '/proc', mountPath: '/host/proc' },
        { volumeName: 'sys', hostPath: '/sys', mountPath: '/host/sys' },
        // HostToContainer: filesystems mounted on the node later still show up in metrics.
        { volumeName: 'root', hostPath: '/', mountPath: '/host/root', propagation: kplus.MountPropagation.HOST_TO_CONTAINER },
      ],
      hostNetwork: true,
      hostPid: true,
      needsApiAccess: false,
    });
    this.port = port;
    this.args = args;
  }
}
