/**
 * LogCollectorDaemon: ships every container's logs from every node to Elasticsearch or Logstash.
 * Fluent Bit by default (Fluentd as an option), with Kubernetes metadata from the API server.
 */
import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ConfigurationError, ConflictingPropsError } from '../errors';
import { PropKeys, rejectUnknownProps } from '../defaults/props';
import { explicitResources } from '../defaults/resources';
import { ElasticsearchOutput, ResolvedElasticsearch } from './elasticsearch';
import { LogOutput, OUTPUT_CA_DIR, ResolvedLogOutput } from './log-output';
import { ContainerLogFormat, FluentBitSection } from './fluent-bit-config';
import { LogAgent, LogAgentConfig } from './log-agent';
import { INodeAgentExtension, NODE_AGENT_PROP_KEYS, NodeAgent, NodeAgentProps } from './node-agent';
import { TaintTolerance } from './scheduling';

/** Props of a LogCollectorDaemon. */
/** The props LogCollectorDaemon adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<LogCollectorDaemonProps, keyof NodeAgentProps>> = { output: true, elasticsearch: true, agent: true, logFormat: true };

export interface LogCollectorDaemonProps extends NodeAgentProps {
  /**
   * Where logs go: `LogOutput.elasticsearch({...})` or `LogOutput.logstash({...})`. Exactly one
   * of `output` and `elasticsearch` is required.
   * @default - the `elasticsearch` prop
   */
  readonly output?: LogOutput;
  /**
   * Where logs go (the older form of `output: LogOutput.elasticsearch({...})`, kept working).
   * @default - the `output` prop
   * @deprecated use `output: LogOutput.elasticsearch({...})`
   */
  readonly elasticsearch?: ElasticsearchOutput;
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
const LOG_COLLECTOR_DEFAULT_RESOURCES = explicitResources(100, 500, 200, 512);

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
  /** The Elasticsearch output with defaults filled in, when logs go to Elasticsearch. */
  public readonly elasticsearch?: ResolvedElasticsearch;
  /** Where logs go. */
  public readonly output: LogOutput;

  constructor(scope: Construct, id: string, props: LogCollectorDaemonProps) {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    rejectUnknownProps(path, props, { ...NODE_AGENT_PROP_KEYS, ...OWN_PROPS }, 'LogCollectorDaemonProps');
    const output = chooseOutput(path, props);
    const agent = props.agent ?? LogAgent.fluentBit();
    if (props.image !== undefined && agent._imageGiven) {
      throw new ConflictingPropsError(path, [`image is set (${JSON.stringify(props.image)}) and so is the agent's image (${JSON.stringify(agent.image)}); one would be silently dropped: pass the image in one place`]);
    }
    const resolvedOutput = output._resolve(path);
    const setup = agent._setup(path, resolvedOutput, props.logFormat ?? ContainerLogFormat.CRI);
    const extension = new LogCollectorExtension(setup.config, resolvedOutput);
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
      extension,
    });
    this.agent = agent;
    this.output = output;
    this.elasticsearch = resolvedOutput.elasticsearch;
    const objects = extension.objects;
    this.fluentBitConfig = setup.config?.sections;
    this.configMap = objects.configMap;
    this.clusterRole = objects.clusterRole;
    this.clusterRoleBinding = objects.clusterRoleBinding;
  }
}

/** What the extension built, for the daemon's public fields. */
interface LogCollectorObjects {
  readonly configMap?: kplus.ConfigMap;
  readonly clusterRole: kplus.ClusterRole;
  readonly clusterRoleBinding: kplus.ClusterRoleBinding;
}

/** The log collector's objects beyond the DaemonSet: Fluent Bit's ConfigMap and the metadata RBAC. */
class LogCollectorExtension implements INodeAgentExtension {
  private built?: LogCollectorObjects;

  constructor(private readonly config: LogAgentConfig | undefined, private readonly output: ResolvedLogOutput) {}

  public addTo(agent: NodeAgent): void {
    if (this.output.caCertificate) {
      agent.container.mount(OUTPUT_CA_DIR, this.output.caCertificate._volume(agent, 'output-ca'), { readOnly: true });
    }
    let configMap: kplus.ConfigMap | undefined;
    if (this.config) {
      configMap = new kplus.ConfigMap(agent, 'config', {
        metadata: { name: `${agent.name}-config`, namespace: agent.namespaceName },
        data: { [this.config.fileName]: this.config.text },
      });
      agent.container.mount(this.config.mountPath, kplus.Volume.fromConfigMap(agent, 'config-volume', configMap, { name: 'config' }), { readOnly: true });
      // A changed configuration rolls the pods; a ConfigMap edit alone would not.
      agent.daemonSet.podMetadata.addAnnotation('checksum/config', createHash('sha256').update(this.config.text).digest('hex'));
    }
    const rbacName = `${agent.namespaceName}-${agent.name}`;
    const clusterRole = new kplus.ClusterRole(agent, 'cluster-role', { metadata: { name: rbacName } });
    clusterRole.allowRead(kplus.ApiResource.PODS, kplus.ApiResource.NAMESPACES);
    const clusterRoleBinding = new kplus.ClusterRoleBinding(agent, 'cluster-role-binding', { metadata: { name: rbacName }, role: clusterRole });
    clusterRoleBinding.addSubjects(agent.serviceAccount);
    this.built = { configMap, clusterRole, clusterRoleBinding };
  }

  /** The objects, once the base has called addTo. */
  public get objects(): LogCollectorObjects {
    if (!this.built) throw new Error('LogCollectorExtension.objects read before NodeAgent called addTo');
    return this.built;
  }
}

/**
 * The output from `output` or the deprecated `elasticsearch`: exactly one of them. Both at once
 * would leave one silently unused.
 */
function chooseOutput(path: string, props: LogCollectorDaemonProps): LogOutput {
  if (props?.output !== undefined && props.elasticsearch !== undefined) {
    throw new ConflictingPropsError(path, ['output and elasticsearch are both set: one would be silently dropped; pass only output (elasticsearch is its deprecated form)']);
  }
  if (props?.output !== undefined) {
    if (!(props.output instanceof LogOutput)) throw new ConfigurationError(path, 'output', 'must be a LogOutput', props.output, 'Use LogOutput.elasticsearch({...}) or LogOutput.logstash({...}).');
    return props.output;
  }
  if (typeof props?.elasticsearch !== 'object' || props.elasticsearch === null) {
    throw new ConfigurationError(path, 'output', 'is required', props?.elasticsearch, 'Pass e.g. output: LogOutput.elasticsearch({ host: \'elasticsearch.search.svc.cluster.local\' }) or LogOutput.logstash({ host: \'logstash.logs.svc.cluster.local\' }).');
  }
  return LogOutput.elasticsearch(props.elasticsearch);
}
