/**
 * LogCollectorDaemon: ships every container's logs from every node to Elasticsearch.
 * Fluent Bit by default (Fluentd as an option), with Kubernetes metadata from the API server.
 */
import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { explicitResources } from '../defaults/resources';
import { ElasticsearchOutput, resolveElasticsearch, ResolvedElasticsearch } from './elasticsearch';
import { ContainerLogFormat, FluentBitSection } from './fluent-bit-config';
import { LogAgent } from './log-agent';
import { NodeAgent, NodeAgentProps } from './node-agent';
import { TaintTolerance } from './scheduling';

/** Props of a LogCollectorDaemon. */
export interface LogCollectorDaemonProps extends NodeAgentProps {
  /** Where logs go. */
  readonly elasticsearch: ElasticsearchOutput;
  /**
   * The shipper.
   * @default LogAgent.fluentBit()
   */
  readonly agent?: LogAgent;
  /**
   * The container runtime's log format.
   * @default ContainerLogFormat.CRI (containerd, CRI-O)
   */
  readonly logFormat?: ContainerLogFormat;
}

/** Requests 100m / 200Mi (what the Fluent Bit chart suggests); limits leave room for bursts after an outage. */
export const LOG_COLLECTOR_DEFAULT_RESOURCES = explicitResources(100, 500, 200, 512);

/**
 * A log collector on every node, control-plane included.
 *
 * Pod Security: it mounts hostPath volumes, which the baseline level already forbids, so its
 * namespace must enforce `privileged` (`createNamespace: true` emits the labels). It runs as
 * uid 0 because container logs under /var/log are owned by root and not world-readable; every
 * other privilege is removed (see NodeAgent).
 */
export class LogCollectorDaemon extends NodeAgent {
  /** The generated Fluent Bit configuration (Fluent Bit only). */
  public readonly configMap?: kplus.ConfigMap;
  /** The Fluent Bit configuration sections, as generated (Fluent Bit only). */
  public readonly fluentBitConfig?: FluentBitSection[];
  /** get/list/watch on pods and namespaces, for the Kubernetes metadata of each log line. */
  public readonly clusterRole: kplus.ClusterRole;
  public readonly clusterRoleBinding: kplus.ClusterRoleBinding;
  /** The shipper in use. */
  public readonly agent: LogAgent;
  /** The Elasticsearch output with defaults filled in. */
  public readonly elasticsearch: ResolvedElasticsearch;

  constructor(scope: Construct, id: string, props: LogCollectorDaemonProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const agent = props.agent ?? LogAgent.fluentBit();
    const elasticsearch = resolveElasticsearch(path, props.elasticsearch);
    const setup = agent._setup(path, elasticsearch, props.logFormat ?? ContainerLogFormat.CRI);
    super(scope, id, props, {
      app: setup.app,
      component: 'log-collector',
      defaultNamespace: 'logging',
      defaultImage: agent.image,
      defaultResources: LOG_COLLECTOR_DEFAULT_RESOURCES,
      defaultTolerance: TaintTolerance.controlPlane(),
      defaultTerminationGracePeriod: Duration.seconds(30),
      // Root, for reading root-owned node logs; no capabilities, no escalation, read-only root fs.
      uid: 0,
      gid: 0,
      port: setup.port,
      healthPath: setup.healthPath,
      livenessPath: setup.livenessPath,
      metricsPath: setup.metricsPath,
      args: setup.args,
      env: setup.env,
      hostPaths: setup.hostPaths,
      needsApiAccess: true,
    });
    this.agent = agent;
    this.elasticsearch = elasticsearch;

    if (setup.config) {
      this.fluentBitConfig = setup.config.sections;
      this.configMap = new kplus.ConfigMap(this, 'config', {
        metadata: { name: `${this.name}-config`, namespace: this.namespaceName },
        data: { [setup.config.fileName]: setup.config.text },
      });
      this.container.mount(setup.config.mountPath, kplus.Volume.fromConfigMap(this, 'config-volume', this.configMap, { name: 'config' }), { readOnly: true });
      // A changed configuration rolls the pods; a ConfigMap edit alone would not.
      this.daemonSet.podMetadata.addAnnotation('checksum/config', createHash('sha256').update(setup.config.text).digest('hex'));
    }

    const rbacName = `${this.namespaceName}-${this.name}`;
    this.clusterRole = new kplus.ClusterRole(this, 'cluster-role', { metadata: { name: rbacName } });
    this.clusterRole.allowRead(kplus.ApiResource.PODS, kplus.ApiResource.NAMESPACES);
    this.clusterRoleBinding = new kplus.ClusterRoleBinding(this, 'cluster-role-binding', { metadata: { name: rbacName }, role: this.clusterRole });
    this.clusterRoleBinding.addSubjects(this.serviceAccount);
    this.labelEverything();
  }
}
