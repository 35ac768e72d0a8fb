/**
 * The node-agent base: a DaemonSet that reaches every node it should, mounts host paths
 * read-only, rolls out explicitly, runs under its own ServiceAccount, and says which Pod Security
 * Standard level its namespace needs. Specializations (LogCollectorDaemon, NodeExporterDaemon)
 * supply the container through a NodeAgentSpec.
 */
import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { labelAllObjects, recommendedLabels, selectorLabels, validateLabels, WorkloadIdentity, applyStableSelector } from '../defaults/labels';
import { validateResources } from '../defaults/resources';
import { validateImage } from '../defaults/container';
import { ProbeHandler, PROBE_TIMINGS, probeSet } from '../defaults/probes';
import { scrapeAnnotations } from '../defaults/monitoring';
import { restrictedContainerSecurityContext } from '../defaults/security';
import { ConfigurationError } from '../errors';
import { dnsLabelProblem, dnsSubdomainProblem } from '../kube/names';
import { setAffinity, setHostPid, setNodeSelector, setPodSeccompRuntimeDefault, setPriorityClassName, setTolerations } from '../kube/pod';
import { setDaemonSetUpdateStrategy } from '../kube/daemon-set';
import { dropNamespaceOfClusterScoped } from '../kube/cluster-scoped';
import { rollOnConfigChange } from '../defaults/rollout';
import { checkConstructId, PropKeys } from '../defaults/props';
import { checkUniqueNames } from '../defaults/unique-names';
import { omitKubernetesDefaults } from '../kube/omit-defaults';
import { HostPathMount, mountHostPaths } from './host';
import { NodeAffinity, NodeToleration, TaintTolerance, toKubeToleration, validateToleration } from './scheduling';
import { AgentUpdateStrategy } from './update-strategy';

/** The Pod Security Standard levels, as the `pod-security.kubernetes.io/enforce` label values. */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/** The node label every agent selects by default: the agents ship Linux images. */
const LINUX_NODE_SELECTOR = { 'kubernetes.io/os': 'linux' };

/** Props every node agent accepts. */
/** The props every node agent takes; the compiler keeps the list complete. */
export const NODE_AGENT_PROP_KEYS: PropKeys<NodeAgentProps> = {
  name: true, namespaceName: true, createNamespace: true, image: true, taintTolerance: true, tolerations: true, nodeSelector: true,
  linuxOnly: true, nodeAffinity: true, updateStrategy: true, priorityClassName: true, resources: true, terminationGracePeriod: true,
};

export interface NodeAgentProps {
  /**
   * Name of the DaemonSet and its ServiceAccount (and prefix of the other objects).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace of every namespaced object.
   * @default - per agent: `logging` for LogCollectorDaemon, `monitoring` for NodeExporterDaemon
   */
  readonly namespaceName?: string;
  /**
   * Also emit the Namespace, labelled `pod-security.kubernetes.io/enforce` with the level this
   * agent needs (privileged for host access). Leave false when the namespace exists already, and
   * label it yourself: the agent's pods are rejected in a baseline or restricted namespace.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * The pinned image (a tag other than `latest`, or a digest).
   * @default - per agent
   */
  readonly image?: string;
  /**
   * Which taints the agent tolerates before `tolerations` are added.
   * @default - per agent: control-plane taints for the log collector, every taint for the node exporter
   */
  readonly taintTolerance?: TaintTolerance;
  /**
   * More tolerations, e.g. `{ key: 'dedicated', tolerationOperator: TolerationOperator.EQUAL, value: 'gpu', effect: TaintEffect.NO_SCHEDULE }`.
   * @default - none
   */
  readonly tolerations?: NodeToleration[];
  /**
   * Run only on nodes with these labels, e.g. `{ disktype: 'ssd' }` (added to `kubernetes.io/os: linux`).
   * @default - every Linux node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Add the `kubernetes.io/os: linux` node selector (the images are Linux-only; on a Windows node
   * the pod would never start).
   * @default true
   */
  readonly linuxOnly?: boolean;
  /**
   * Node affinity, e.g. `[NodeAffinity.required(NodeExpression.isIn('node.kubernetes.io/instance-type', ['m5.large']))]`.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinity[];
  /**
   * How pods are replaced on an update.
   * @default AgentUpdateStrategy.rollingUpdate() (one node at a time)
   */
  readonly updateStrategy?: AgentUpdateStrategy;
  /**
   * A PriorityClass so the agent is not the pod evicted first under pressure. `system-node-critical`
   * only works in kube-system (or with a ResourceQuota allowing it) on many clusters.
   * @default - none
   */
  readonly priorityClassName?: string;
  /**
   * Container resources (requests and limits for cpu and memory).
   * @default - per agent
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * How long the agent has to flush on shutdown before it is killed.
   * @default - per agent
   */
  readonly terminationGracePeriod?: Duration;
}

/**
 * What a specialization adds to the agent beyond its container: a ConfigMap, RBAC, more
 * annotations. The base calls it once, after it has built the DaemonSet, container and
 * ServiceAccount, and labels every object afterwards.
 */
export interface INodeAgentExtension {
  /** Adds the specialization's objects to `agent` (create them with `agent` as their scope). */
  addTo(agent: NodeAgent): void;
}

/** What a specialization supplies: its container, host access and defaults. */
export interface NodeAgentSpec {
  /** `app.kubernetes.io/name` and the container name, e.g. `fluent-bit`. */
  readonly app: string;
  /** `app.kubernetes.io/component`, e.g. `log-collector`. */
  readonly component: string;
  /** The namespace unless `namespaceName` is set. */
  readonly defaultNamespace: string;
  /** The image unless `image` is set. */
  readonly defaultImage: string;
  /** The resources unless `resources` is set. */
  readonly defaultResources: kplus.ContainerResources;
  /** The tolerated taints unless `taintTolerance` is set. */
  readonly defaultTolerance: TaintTolerance;
  /** The grace period unless `terminationGracePeriod` is set. */
  readonly defaultTerminationGracePeriod: Duration;
  /** The numeric user the process runs as; uid 0 sets runAsNonRoot false. */
  readonly uid: number;
  /** The numeric group the process runs as. */
  readonly gid: number;
  /** The HTTP port (named `http`) that serves health and metrics. */
  readonly port: number;
  /** The readiness (and default liveness) path on `port`. */
  readonly healthPath: string;
  /** @default - the health path */
  readonly livenessPath?: string;
  /** The Prometheus metrics path on `port` (scrape annotations). */
  readonly metricsPath: string;
  /** @default - the image's command and arguments */
  readonly args?: string[];
  /** @default - no environment variables */
  readonly env?: Record<string, kplus.EnvValue>;
  /** Directories of the node the agent reads (read-only unless `writable`). */
  readonly hostPaths: HostPathMount[];
  /** @default false */
  readonly hostNetwork?: boolean;
  /** @default false */
  readonly hostPid?: boolean;
  /** Mount a ServiceAccount token (the agent talks to the API server). */
  readonly needsApiAccess: boolean;
  /**
   * The objects the specialization adds (ConfigMap, RBAC...), labelled like the rest.
   * @default - nothing beyond the DaemonSet and its ServiceAccount
   */
  readonly extension?: INodeAgentExtension;
}

/**
 * A DaemonSet on every (selected) node, with production defaults.
 *
 * Every object of the agent carries the recommended labels, and the base applies them itself:
 * a specialization hands over everything it adds in `NodeAgentSpec.extension`, which the base
 * constructor calls before labelling. A protected `labelEverything()` that subclasses had to
 * call last could be forgotten (and was a comment, not a type); an abstract method called from
 * the base constructor would run before the subclass's own fields are initialised. Objects
 * added to an agent after its constructor (escape hatches) are the caller's to label.
 */
export abstract class NodeAgent extends Construct {
  /** The DaemonSet (also `node.defaultChild`, so `ApiObject.of(agent)` is its L1 object). */
  public readonly daemonSet: kplus.DaemonSet;
  /** The agent container. */
  public readonly container: kplus.Container;
  /** The agent's own ServiceAccount (its token is mounted only when the agent needs the API). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The Namespace, when `createNamespace` is set. */
  public readonly namespaceObject?: kplus.Namespace;
  /** The namespace the agent runs in. */
  public readonly namespaceName: string;
  /** The DaemonSet's name. */
  public readonly name: string;
  /**
   * The Pod Security Standard level the namespace must allow: hostPath, hostNetwork and hostPID
   * are forbidden by baseline already, running as uid 0 by restricted.
   */
  public readonly requiredPodSecurityLevel: PodSecurityLevel;
  /** The stable labels the DaemonSet selects on. */
  public readonly selectorLabels: Record<string, string>;

  protected constructor(scope: Construct, id: string, props: NodeAgentProps, spec: NodeAgentSpec) {
    checkConstructId(scope, id);
    super(scope, id);
    this.name = props.name ?? id;
    this.namespaceName = props.namespaceName ?? spec.defaultNamespace;
    for (const [prop, value] of [['name', this.name], ['namespaceName', this.namespaceName]]) {
      const problem = dnsLabelProblem(value);
      if (problem) throw new ConfigurationError(this, prop, problem, value, 'Use a lowercase DNS label such as "fluent-bit".');
    }
    const grace = props.terminationGracePeriod?.toSeconds({ integral: false });
    if (grace !== undefined && !Number.isInteger(grace)) {
      throw new ConfigurationError(this, 'terminationGracePeriod', 'must be a whole number of seconds', `${grace}s`, 'Use Duration.seconds().');
    }
    const image = props.image ?? spec.defaultImage;
    validateImage(this, 'image', image);
    const resources = props.resources ?? spec.defaultResources;
    validateResources(this, 'resources', resources);
    this.requiredPodSecurityLevel = requiredLevel(spec);
    const identity: WorkloadIdentity = { name: spec.app, instance: this.name, component: spec.component };
    this.selectorLabels = selectorLabels(identity);
    const metadata = { name: this.name, namespace: this.namespaceName };

    if (props.createNamespace) {
      this.namespaceObject = new kplus.Namespace(this, 'namespace', { metadata: { name: this.namespaceName, labels: podSecurityLabels(this.requiredPodSecurityLevel) } });
    }
    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata, automountToken: spec.needsApiAccess });
    // `Default` makes it the defaultChild: ApiObject.of(agent) and agent.node.defaultChild reach it.
    this.daemonSet = new kplus.DaemonSet(this, 'Default', {
      metadata,
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: spec.needsApiAccess,
      hostNetwork: spec.hostNetwork ?? false,
      // A hostNetwork pod would otherwise resolve with the node's resolv.conf, not cluster DNS.
      dns: { policy: spec.hostNetwork ? kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET : kplus.DnsPolicy.CLUSTER_FIRST },
      terminationGracePeriod: props.terminationGracePeriod ?? spec.defaultTerminationGracePeriod,
      securityContext: { ensureNonRoot: spec.uid !== 0, user: spec.uid, group: spec.gid },
    });
    this.container = this.daemonSet.addContainer(this.containerProps(spec, image, resources));
    mountHostPaths(this, this.container, spec.hostPaths);
    if (spec.hostPid) setHostPid(this.daemonSet);
    setPodSeccompRuntimeDefault(this.daemonSet);
    applyStableSelector(this.daemonSet, this.selectorLabels);
    this.scheduleOnNodes(props, spec);
    const rollingUpdate = (props.updateStrategy ?? AgentUpdateStrategy.rollingUpdate())._bind(this, 'updateStrategy');
    if (spec.hostNetwork && rollingUpdate && ![0, '0%'].includes(rollingUpdate.maxSurge.value)) {
      throw new ConfigurationError(this, 'updateStrategy', 'surges on a host-network agent: the new pod cannot bind the host port the old one holds, so the rollout stalls', 'maxSurge ' + String(rollingUpdate.maxSurge.value),
        'Use AgentUpdateStrategy.rollingUpdate({ maxUnavailable: NodeCount.nodes(1) }).');
    }
    setDaemonSetUpdateStrategy(this.daemonSet, rollingUpdate);
    if (props.priorityClassName) {
      const problem = dnsSubdomainProblem(props.priorityClassName);
      if (problem) throw new ConfigurationError(this, 'priorityClassName', problem, props.priorityClassName, 'Use the name of an existing PriorityClass.');
      setPriorityClassName(this.daemonSet, props.priorityClassName);
    }
    for (const [key, value] of Object.entries(scrapeAnnotations(spec.port, spec.metricsPath))) this.daemonSet.podMetadata.addAnnotation(key, value);
    spec.extension?.addTo(this);
    // Last, so the specialization's objects are labelled and fixed too.
    dropNamespaceOfClusterScoped(this);
    rollOnConfigChange(this.daemonSet, this);
    labelAllObjects(this, recommendedLabels(identity));
    omitKubernetesDefaults(this);
    checkUniqueNames(this);
  }

  private containerProps(spec: NodeAgentSpec, image: string, resources: kplus.ContainerResources): kplus.ContainerProps {
    const probes = probeSet(PROBE_TIMINGS.service, ProbeHandler.http(spec.healthPath, spec.port), ProbeHandler.http(spec.livenessPath ?? spec.healthPath, spec.port));
    return {
      name: spec.app,
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: spec.args,
      envVariables: spec.env,
      ports: [{ number: spec.port, name: 'http' }],
      resources,
      startup: probes.startup,
      readiness: probes.readiness,
      liveness: probes.liveness,
      // The restricted container context; uid 0 only where the agent must read root-owned host
      // files, with everything else still taken away (no capabilities, no escalation, read-only root).
      securityContext: { ...restrictedContainerSecurityContext({ uid: spec.uid, gid: spec.gid }), ensureNonRoot: spec.uid !== 0 },
    };
  }

  private scheduleOnNodes(props: NodeAgentProps, spec: NodeAgentSpec): void {
    (props.tolerations ?? []).forEach((t, i) => validateToleration(this, `tolerations[${i}]`, t));
    const tolerations = [...(props.taintTolerance ?? spec.defaultTolerance).tolerations, ...(props.tolerations ?? [])];
    if (tolerations.length > 0) setTolerations(this.daemonSet, tolerations.map(toKubeToleration));

    validateLabels(this, 'nodeSelector', props.nodeSelector ?? {});
    const nodeSelector = { ...((props.linuxOnly ?? true) ? LINUX_NODE_SELECTOR : {}), ...props.nodeSelector };
    if (Object.keys(nodeSelector).length > 0) setNodeSelector(this.daemonSet, nodeSelector);

    const affinities = props.nodeAffinity ?? [];
    affinities.forEach((a, i) => a._validate(this, `nodeAffinity[${i}]`));
    const affinity = NodeAffinity._toKube(affinities);
    if (affinity) setAffinity(this.daemonSet, affinity);
  }
}

function requiredLevel(spec: NodeAgentSpec): PodSecurityLevel {
  if (spec.hostNetwork || spec.hostPid || spec.hostPaths.length > 0) return PodSecurityLevel.PRIVILEGED;
  return spec.uid === 0 ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
}

/** The namespace labels that let pods of `level` in (and warn/audit at the same level). */
function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/audit': level,
  };
}
