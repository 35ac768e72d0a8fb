/**
 * Logstash on a StatelessWorkload: the official image, a typed pipeline rendered into a
 * ConfigMap mounted over the image's default pipeline, logstash.yml from a ConfigMap, probes on
 * the monitoring API, heap from the memory limit, an optional persisted queue, and every
 * restricted-Pod-Security default of the workload.
 */
import * as kplus from 'cdk8s-plus-27';
import { Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { labelAllObjects } from '../../defaults/labels';
import { NetworkPeer } from '../../defaults/network';
import { ProbeHandler } from '../../defaults/probes';
import { checkConstructId } from '../../defaults/props';
import { explicitResources } from '../../defaults/resources';
import { WritablePath } from '../../defaults/security';
import { checkUniqueNames } from '../../defaults/unique-names';
import { DisruptionBudget } from '../../defaults/disruption';
import { AutoscalingOptions } from '../autoscaling';
import { StatelessWorkload } from '../stateless-workload';
import { LogstashPipeline } from './pipeline';
import { LogstashPersistentQueue } from './queue';
import { resolveLogstash } from './logstash-validation';
import { LOGSTASH } from './settings';

/** Props of a Logstash. */
export interface LogstashProps {
  /** What Logstash reads, how it transforms, where it writes. */
  readonly pipeline: LogstashPipeline;
  /**
   * Name of the Deployment, its Service and the other objects.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The pinned official image (uid 1000).
   * @default 'docker.elastic.co/logstash/logstash:8.17.4'
   */
  readonly image?: string;
  /**
   * Pods to run; conflicts with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Scale on CPU with a HorizontalPodAutoscaler.
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Requests and limits. The heap is half the memory limit (-Xms = -Xmx).
   * @default - 500m / 2Gi requested, 2 CPU / 2Gi limit (a 1 GiB heap, Logstash's own default)
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * A persisted queue (`queue.type: persisted`) instead of the in-memory one.
   * @default - the in-memory queue (events in flight are lost when a pod dies)
   */
  readonly persistentQueue?: LogstashPersistentQueue;
  /**
   * More environment variables (secrets by reference). Names env2yaml maps to settings
   * (`PIPELINE_WORKERS`, `NODE_NAME`, ...) are rejected: it would rewrite the read-only logstash.yml.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * Labels of the pods allowed to send events; the NetworkPolicy admits only them (and `allowFrom`).
   * Conflicts with `allowedClients`.
   * @default { 'cdk8s-workloads.io/client-of': '<name>' }
   */
  readonly clientLabels?: { [key: string]: string };
  /**
   * More peers allowed to send events, besides the pods with `clientLabels`. Conflicts with `allowedClients`.
   * @default - none
   */
  readonly allowFrom?: NetworkPeer[];
  /**
   * The only peers allowed to send events, instead of the pods with the client labels, e.g. the
   * log collector in another namespace; they reach the input ports (not the monitoring API).
   * Same rules as StatelessWorkload's `allowedClients`: not empty, not with `clientLabels` or `allowFrom`.
   * @default - the pods with `clientLabels` in Logstash's namespace, and `allowFrom`
   */
  readonly allowedClients?: NetworkPeer[];
  /**
   * How many pods a drain may take down.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Time to stop inputs and flush (or drain the persisted queue) before the kubelet kills Logstash.
   * @default Duration.seconds(60)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the name
   */
  readonly partOf?: string;
  /**
   * The cluster's DNS domain, for `host`.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** Requests 500m / 2Gi, limits 2 CPU / 2Gi: a 1 GiB heap, and no memory overcommit for a JVM. */
const LOGSTASH_DEFAULT_RESOURCES = explicitResources(500, 2000, 2048, 2048);

/**
 * Probe timings. The chart waits 300 s before its first liveness check because Logstash
 * (JVM start, plugin loading, pipeline compilation) can take minutes on a small CPU limit, and
 * a liveness restart before it is up loops forever. A startup probe gives the same 300 s
 * (30 x 10 s) but hands over to liveness as soon as the API answers, instead of leaving the
 * first five minutes of every pod unwatched.
 */
const LOGSTASH_PROBE_TIMINGS = {
  startup: { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
  readiness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  liveness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
};

/**
 * Logstash with production defaults, on a Deployment (a StatelessWorkload).
 *
 * Files: the pipeline ConfigMap is mounted over /usr/share/logstash/pipeline (the image's
 * pipelines.yml loads that directory as `main`), logstash.yml is mounted over the image's file
 * (subPath: jvm.options and log4j2.properties beside it stay). Writable under the read-only
 * root: the data directory (the persisted queue, the node UUID), /tmp (JRuby and JNA unpack
 * native libraries there) and the logs directory.
 */
export class Logstash extends Construct {
  /** The Deployment and its Service, PDB, NetworkPolicy (and autoscaler). */
  public readonly workload: StatelessWorkload;
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The Logstash container. */
  public readonly container: kplus.Container;
  /** The Service the inputs listen on. */
  public readonly service: kplus.Service;
  /** The rendered pipeline, in a ConfigMap. */
  public readonly pipelineConfigMap: kplus.ConfigMap;
  /** logstash.yml, in a ConfigMap. */
  public readonly settingsConfigMap: kplus.ConfigMap;
  /** The pipeline file as written (`logstash.conf`). */
  public readonly pipelineText: string;
  /** logstash.yml as written. */
  public readonly settingsText: string;
  /** The heap, in MiB (half the memory limit). */
  public readonly heapMebibytes: number;
  /** The Service's DNS name (fully qualified when the chart has a namespace). */
  public readonly host: string;
  /** The name of the Deployment and its objects. */
  public readonly name: string;
  /** The ports of the inputs, by port name (e.g. `beats`: 5044). */
  public readonly inputPorts: { [name: string]: number };

  constructor(scope: Construct, id: string, props: LogstashProps) {
    checkConstructId(scope, id);
    super(scope, id);
    const resolved = resolveLogstash(this, id, props, LOGSTASH_DEFAULT_RESOURCES);
    this.name = resolved.name;
    this.pipelineText = resolved.pipelineText;
    this.settingsText = resolved.settingsText;
    this.heapMebibytes = resolved.heapMebibytes;
    this.inputPorts = Object.fromEntries(resolved.ports.map((p) => [p.name, p.port]));
    const queue = props.persistentQueue;
    const writablePaths: WritablePath[] = [
      { path: '/tmp', volumeName: 'tmp', sizeLimit: Size.mebibytes(256) },
      { path: LOGSTASH.logsDir, volumeName: 'logs', sizeLimit: Size.mebibytes(256) },
      ...(queue?._claim ? [] : [{ path: LOGSTASH.dataDir, volumeName: 'data', sizeLimit: queue?._dataSizeLimit() ?? Size.mebibytes(256) }]),
    ];

    this.workload = new StatelessWorkload(this, 'Default', {
      name: this.name,
      image: resolved.image,
      user: LOGSTASH.user,
      appName: 'logstash',
      component: 'log-processor',
      partOf: props.partOf,
      clusterDomain: props.clusterDomain,
      ports: [...resolved.ports, { name: 'monitoring', port: LOGSTASH.apiPort, expose: false }],
      env: { ...resolved.env, LS_JAVA_OPTS: kplus.EnvValue.fromValue(resolved.javaOptions) },
      resources: resolved.resources,
      probes: { readiness: ProbeHandler.http('/', LOGSTASH.apiPort), timings: LOGSTASH_PROBE_TIMINGS },
      writablePaths,
      replicas: props.replicas,
      autoscaling: props.autoscaling,
      disruptionBudget: props.disruptionBudget,
      // One pod per claim: a ReadWriteOnce volume cannot attach to the surge pod, and two
      // Logstash processes must never share a queue directory.
      strategy: queue?._claim ? kplus.DeploymentStrategy.recreate() : undefined,
      clientLabels: props.clientLabels,
      allowFrom: props.allowFrom,
      allowedClients: props.allowedClients,
      terminationGracePeriod: resolved.terminationGracePeriod,
    });
    this.deployment = this.workload.deployment;
    this.container = this.workload.container;
    this.service = this.workload.service!;
    this.host = this.workload.host!;

    // Created under the workload so its config checksum covers them: a changed pipeline rolls the pods.
    this.pipelineConfigMap = new kplus.ConfigMap(this.workload, 'pipeline', { metadata: { name: `${this.name}-pipeline` }, data: { 'logstash.conf': this.pipelineText } });
    this.settingsConfigMap = new kplus.ConfigMap(this.workload, 'settings', { metadata: { name: `${this.name}-settings` }, data: { 'logstash.yml': this.settingsText } });
    this.container.mount(LOGSTASH.pipelineDir, kplus.Volume.fromConfigMap(this, 'pipeline-volume', this.pipelineConfigMap, { name: 'pipeline' }), { readOnly: true });
    this.container.mount(LOGSTASH.settingsFile, kplus.Volume.fromConfigMap(this, 'settings-volume', this.settingsConfigMap, { name: 'settings' }), { readOnly: true, subPath: 'logstash.yml' });
    for (const m of resolved.mounts) {
      const items = Object.fromEntries(Object.entries(m.files).map(([key, file]) => [key, { path: file }]));
      this.container.mount(m.directory, kplus.Volume.fromSecret(this, `secret-${m.volumeName}`, m.secret, { name: m.volumeName, items }), { readOnly: true });
    }
    if (queue?._claim) this.container.mount(LOGSTASH.dataDir, kplus.Volume.fromPersistentVolumeClaim(this, 'data-volume', queue._claim, { name: 'data' }));
    labelAllObjects(this, this.workload.labels);
    checkUniqueNames(this);
  }

  /**
   * A label map that makes a pod a client the NetworkPolicy admits.
   * With `allowedClients` the policy admits only those peers, and these labels open nothing.
   */
  public clientPodLabels(): { [key: string]: string } {
    return this.workload.clientPodLabels();
  }
}
