/**
 * LogPipeline: the collector DaemonSet ships to Logstash, Logstash writes to Elasticsearch.
 * It spans two namespaces: the collector needs a privileged one (hostPath), Logstash and
 * Elasticsearch run in the restricted namespace of the pipeline's own chart. A construct lives
 * in one chart, so the collector is created under a second scope the user passes
 * (`collectorScope`, usually a chart of its own), and the NetworkPolicies name the other
 * namespace through `kubernetes.io/metadata.name`, the label the API server sets on every
 * Namespace.
 */
import * as kplus from 'cdk8s-plus-27';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkPeer } from '../../defaults/network';
import { checkConstructId, checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';
import { STATELESS_DEFAULTS } from '../../defaults/stateless';
import { serviceHost } from '../../kube/service';
import { ConfigurationError } from '../../errors';
import { ElasticsearchCluster, ElasticsearchClusterProps } from '../../databases/elasticsearch/elasticsearch-cluster';
import { LogCollectorDaemon } from '../../node-agents/log-collector';
import { LogOutput } from '../../node-agents/log-output';
import { NodeAgentProps } from '../../node-agents/node-agent';
import { Logstash } from '../../services/logstash/logstash';
import { LogstashCredentials, LogstashFilter, LogstashInput, LogstashOutput, LogstashPipeline } from '../../services/logstash/pipeline';
import { LogstashPersistentQueue } from '../../services/logstash/queue';
import { AutoscalingOptions } from '../../services/autoscaling';

/** The label the API server puts on every Namespace (Kubernetes 1.22+): the only one a policy can rely on. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Logstash's part of a LogPipeline. */
export interface LogPipelineLogstashOptions {
  /**
   * The pinned Logstash image (8.x).
   * @default - Logstash's default
   */
  readonly image?: string;
  /**
   * Pods to run; conflicts with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Scale on CPU.
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Requests and limits (the heap is half the memory limit).
   * @default - Logstash's default (2Gi limit, 1 GiB heap)
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * A persisted queue, so events the collector was told are accepted survive a Logstash restart.
   * @default - the in-memory queue
   */
  readonly persistentQueue?: LogstashPersistentQueue;
  /**
   * The port of the http input the collector sends to.
   * @default 8080
   */
  readonly inputPort?: number;
  /**
   * The user Logstash writes to Elasticsearch as. The default reads the user name from key
   * `username` (add `username: elastic` to the credentials Secret) and the password from the
   * superuser's key (`elastic-password`); a dedicated writer user's Secret is better practice.
   * @default - the Elasticsearch credentials Secret, keys `username` and the superuser password key
   */
  readonly elasticsearchCredentials?: LogstashCredentials;
  /**
   * The index Logstash writes (`%{+YYYY.MM.dd}` for daily indices).
   * @default 'logs-%{+YYYY.MM.dd}'
   */
  readonly index?: string;
}

/** Props of a LogPipeline. */
export interface LogPipelineProps {
  /**
   * Where the collector is created: a construct (usually a Chart) for the privileged namespace.
   * The collector's objects carry that namespace explicitly.
   */
  readonly collectorScope: Construct;
  /**
   * The collector's props (namespace, tolerations, image, resources...). Its namespace must
   * differ from the pipeline's: it must enforce `privileged`, the pipeline's `restricted`.
   * @default - the collector's defaults, in the collector scope's chart namespace (else `logging`)
   */
  readonly collector?: NodeAgentProps;
  /**
   * Logstash's settings.
   * @default - two pods, in-memory queue, http input on 8080
   */
  readonly logstash?: LogPipelineLogstashOptions;
  /**
   * The Elasticsearch cluster's props. Its client Service admits the Logstash pods; its
   * credentials Secret and the CA in its certificates Secret are what Logstash uses.
   * @default - ElasticsearchCluster's defaults (3 nodes, TLS and security on)
   */
  readonly elasticsearch?: ElasticsearchClusterProps;
  /**
   * The prefix of every name: `<name>-collector`, `<name>-logstash`, `<name>-es`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The cluster's DNS domain, for the host names the parts reach each other by.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

const PROP_KEYS: PropKeys<LogPipelineProps> = { collectorScope: true, collector: true, logstash: true, elasticsearch: true, name: true, clusterDomain: true };
const LOGSTASH_KEYS: PropKeys<LogPipelineLogstashOptions> = {
  image: true, replicas: true, autoscaling: true, resources: true, persistentQueue: true, inputPort: true, elasticsearchCredentials: true, index: true,
};

/**
 * Collector (DaemonSet, privileged namespace) -> Logstash (Deployment) -> Elasticsearch
 * (StatefulSet), the last two in the restricted namespace of the scope's chart.
 *
 * Traffic admitted, and nothing else: the collector pods (by their selector labels, in the
 * collector namespace) to Logstash's http input; the Logstash pods to Elasticsearch on 9200;
 * the Elasticsearch nodes to each other on 9200 and 9300. The hops use TLS from Logstash to
 * Elasticsearch (the cluster's CA, the password by Secret reference); the collector -> Logstash
 * hop is plain HTTP inside the cluster, admitted only from the collector pods.
 */
export class LogPipeline extends Construct {
  /** The log collector DaemonSet, under `collectorScope`. */
  public readonly collector: LogCollectorDaemon;
  /** Logstash. */
  public readonly logstash: Logstash;
  /** The Elasticsearch cluster. */
  public readonly elasticsearch: ElasticsearchCluster;
  /** The namespace of Logstash and Elasticsearch (restricted). */
  public readonly namespaceName: string;
  /** The collector's namespace (privileged). */
  public readonly collectorNamespaceName: string;
  /** The prefix of every name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LogPipelineProps) {
    checkConstructId(scope, id);
    super(scope, id);
    rejectUnknownProps(this, props, PROP_KEYS, 'LogPipelineProps');
    if (!Construct.isConstruct(props?.collectorScope)) {
      throw new ConfigurationError(this, 'collectorScope', 'must be a construct', props?.collectorScope, 'Pass a Chart for the privileged collector namespace, e.g. new Chart(app, "logging", { namespace: "logging" }).');
    }
    checkType(this, 'name', props.name, PropType.STRING);
    const ls = props.logstash ?? {};
    rejectUnknownProps(`${this.node.path} logstash`, ls, LOGSTASH_KEYS, 'LogPipelineLogstashOptions');
    this.name = props.name ?? id;
    this.namespaceName = this.ownNamespace();
    this.collectorNamespaceName = props.collector?.namespaceName ?? Chart.of(props.collectorScope).namespace ?? 'logging';
    if (this.collectorNamespaceName === this.namespaceName) {
      throw new ConfigurationError(this, 'collector.namespaceName', `is the pipeline's namespace; the collector needs a privileged namespace, Logstash and Elasticsearch a restricted one`, this.collectorNamespaceName,
        'Give the collector a namespace of its own, e.g. "logging".');
    }

    this.elasticsearch = new ElasticsearchCluster(this, `${this.name}-es`, {
      partOf: this.name, clusterDomain: props.clusterDomain, ...props.elasticsearch,
    });
    const es = this.elasticsearch;
    const inputPort = ls.inputPort ?? 8080;
    const logstashName = `${this.name}-logstash`;
    // The collector first: Logstash admits only the collector's pods, so it needs their labels,
    // and the collector needs only the name of Logstash's Service, known before Logstash exists.
    const logstashHost = serviceHost(logstashName, this.namespaceName, props.clusterDomain ?? STATELESS_DEFAULTS.clusterDomain);
    this.collector = new LogCollectorDaemon(props.collectorScope, `${this.name}-collector`, {
      name: `${this.name}-collector`,
      ...props.collector,
      namespaceName: this.collectorNamespaceName,
      output: LogOutput.logstash({ host: logstashHost, port: inputPort }),
    });
    this.logstash = new Logstash(this, logstashName, {
      image: ls.image, replicas: ls.replicas, autoscaling: ls.autoscaling, resources: ls.resources, persistentQueue: ls.persistentQueue,
      partOf: this.name, clusterDomain: props.clusterDomain,
      // The only sender is the collector, in the other namespace: not Logstash's default client labels.
      allowedClients: [NetworkPeer.pods(this.collector.selectorLabels, { [NAMESPACE_NAME_LABEL]: this.collectorNamespaceName })],
      pipeline: new LogstashPipeline({
        // The http input only: Fluent Bit's http output is the acknowledged protocol the collector speaks.
        inputs: [LogstashInput.http({ port: inputPort })],
        filters: [LogstashFilter.json({ source: 'log' })],
        outputs: [LogstashOutput.elasticsearch({
          hosts: [`https://${es.clientHost}:${es.port}`],
          index: ls.index,
          credentials: ls.elasticsearchCredentials ?? { secret: es.credentialsSecret, usernameKey: 'username', passwordKey: es.passwordKey },
          caCertificate: { secret: es.certificatesSecret, key: 'ca.crt' },
        })],
      }),
    });
    // The Logstash pods are Elasticsearch's clients: its NetworkPolicy admits its clientLabels on 9200.
    for (const [key, value] of Object.entries(es.clientLabels)) this.logstash.deployment.podMetadata.addLabel(key, value);
  }

  private ownNamespace(): string {
    const namespace = Chart.of(this).namespace;
    if (!namespace) {
      throw new ConfigurationError(this, 'scope', 'is in a Chart without a namespace; the collector in another namespace reaches Logstash by its fully qualified name, and the policies name both namespaces', namespace,
        'Create the chart with a namespace, e.g. new Chart(app, "logs", { namespace: "logs" }).');
    }
    return namespace;
  }
}
