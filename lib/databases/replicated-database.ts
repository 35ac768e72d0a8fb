import * as kplus from 'cdk8s-plus-27';
import { Chart, Duration, JsonPatch, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import {
  applyStableSelector, completeRestrictedPod, createDisruptionBudget, createNetworkPolicy, DisruptionBudget, labelAllObjects,
  mountWritablePaths, NetworkPeer, PROBE_TIMINGS, ProbeHandler, scrapeAnnotations, presetResources, probeSet, productionContainer, productionPodProps,
  recommendedLabels, ResourcePreset, selectorLabels, spreadAcrossNodesAndZones, validateLabels, TrafficRule,
} from '../defaults';
import { DATABASE_DEFAULTS } from '../defaults/database';
import { ConfigurationError } from '../errors';
import { rollOnConfigChange } from '../defaults/rollout';
import { checkConstructId } from '../defaults/props';
import { checkUniqueNames } from '../defaults/unique-names';
import { omitKubernetesDefaults } from '../kube/omit-defaults';
import { mountClaim, PvcRetention, setPvcRetentionPolicy, setVolumeClaimTemplates } from '../kube/stateful-set';
import { serviceHost, setPublishNotReadyAddresses } from '../kube/service';
import { DatabaseEngine, EngineContext } from './engine';
import { engineScript } from './scripts';
import { resolveDatabaseProps, ResolvedDatabaseProps } from './validation';

/** Props every replicated database takes. */
export interface ReplicatedDatabaseProps {
  /**
   * Pods in the cluster: ordinal 0 is the primary, the others replicate from it.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Per-pod volume size (volumeClaimTemplates), at least 1Gi.
   * @default Size.gibibytes(10)
   */
  readonly storage?: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default [ReadWriteOnce] */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * What happens to the claims when the StatefulSet is deleted or scaled down.
   * @default PvcRetention.RETAIN (data is kept in both cases)
   */
  readonly pvcRetention?: PvcRetention;
  /**
   * The server image, pinned (a tag other than `latest`, or a digest).
   * @default - the engine's pinned image
   */
  readonly image?: string;
  /**
   * A named size for the server container. Do not combine with `resources`.
   * @default - the engine's preset: ResourcePreset.MEDIUM (PostgreSQL, MySQL), ResourcePreset.SMALL (Redis)
   */
  readonly resourcePreset?: ResourcePreset;
  /**
   * Explicit resources for the server container. Do not combine with `resourcePreset`.
   * @default - the preset
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The Secret with the credentials (see the engine's documented keys). Never created here.
   * @default - a Secret named `<name>-credentials`, which you create
   */
  readonly credentialsSecret?: kplus.ISecret;
  /**
   * @default PodManagementPolicy.ORDERED_READY (the primary starts first)
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;
  /**
   * Rolling-update partition: only pods with an ordinal >= partition are updated (canaries).
   * @default 0
   */
  readonly partition?: number;
  /**
   * Voluntary disruptions allowed at once.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Labels of the pods allowed to connect (the NetworkPolicy admits only them and the cluster's own pods).
   * A pod carries one value per key: a pod that connects to two clusters needs clientLabels the
   * clusters share (e.g. `{ 'orders-client': 'true' }` on both), not the default.
   * @default { 'cdk8s-workloads.io/client-of': '<name>' }
   */
  readonly clientLabels?: { [key: string]: string };
  /**
   * Time for a clean shutdown before the kubelet kills the server.
   * @default Duration.seconds(60)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the name
   */
  readonly partOf?: string;
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Adds the engine's Prometheus exporter as sidecar `metrics` (PostgreSQL: postgres-exporter
   * on 9187; MySQL and MariaDB: mysqld-exporter on 9104; Redis: redis_exporter on 9121) with
   * scrape annotations; `Monitors` emits a PodMonitor for it and `Alerts` its exporter alerts.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * The exporter image, pinned.
   * @default - the engine's pinned exporter image
   */
  readonly metricsImage?: string;
}

/**
 * A replicated database on a StatefulSet: the generic part shared by every engine. It creates
 * the StatefulSet (volumeClaimTemplates, probes, restricted security context, spread), a
 * headless Service, a primary (read-write) and a read Service, a PodDisruptionBudget, a
 * NetworkPolicy and two ConfigMaps (settings and scripts). The engine supplies the rest.
 * `ApiObject.of(db)` and `db.node.defaultChild` reach the StatefulSet.
 */
export abstract class ReplicatedDatabase extends Construct {
  /** The StatefulSet name (the construct id); Services and ConfigMaps are named after it. */
  public readonly name: string;
  /** Pods in the cluster. */
  public readonly replicas: number;
  /** The engine that supplies what differs between databases. */
  public readonly engine: DatabaseEngine;
  /** The StatefulSet. */
  public readonly statefulSet: kplus.StatefulSet;
  /** `<name>-hl`: the headless Service that gives each pod its DNS name. */
  public readonly headlessService: kplus.Service;
  /** `<name>-primary`: the read-write Service (pod 0, or the elected leader: `DatabaseTopology.primaryServiceSelector`); for peers (`DatabaseTopology.peers()`), the one client Service `<name>`. */
  public readonly primaryService: kplus.Service;
  /** `<name>-read`: every pod, primary included; for peers, the same Service as `primaryService`. */
  public readonly readService: kplus.Service;
  /** `<name>-config`: the engine's settings files. */
  public readonly configMap: kplus.ConfigMap;
  /** `<name>-scripts`: the scripts the containers run. */
  public readonly scriptsConfigMap: kplus.ConfigMap;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy that admits only clients and the cluster's own pods. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The Secret with the credentials (referenced, never created here). */
  public readonly credentialsSecret: kplus.ISecret;
  /** The server container. */
  public readonly container: kplus.Container;
  /** The labels client pods need to pass the NetworkPolicy. */
  public readonly clientLabels: { [key: string]: string };
  /** The DNS name of the read-write Service (fully qualified when the chart has a namespace). */
  public readonly primaryHost: string;
  /** The DNS name of the read Service (every pod, primary included). */
  public readonly readHost: string;
  /** The server's TCP port. */
  public readonly port: number;
  /** The labels that select this cluster's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The metrics exporter sidecar (`metrics` prop), when enabled. */
  public readonly metricsContainer?: kplus.Container;

  /**
   * @param ownPropKeys the subclass's own props: with them, unknown prop keys are errors
   */
  protected constructor(scope: Construct, id: string, engine: DatabaseEngine, props: ReplicatedDatabaseProps, ownPropKeys?: string[]) {
    checkConstructId(scope, id);
    super(scope, id);
    this.engine = engine;
    this.name = id;
    const resolved = resolveDatabaseProps(this, id, engine, props, ownPropKeys);
    this.replicas = resolved.replicas;
    this.port = engine.port;
    const identity = { name: engine.appName, instance: this.name, component: 'database', partOf: resolved.partOf };
    this.selectorLabels = selectorLabels(identity);
    this.clientLabels = resolved.clientLabels;
    validateLabels(this, 'clientLabels', this.clientLabels);

    const namespace = Chart.of(this).namespace;
    this.primaryHost = serviceHost(engine.topology.primaryServiceName(this.name), namespace, resolved.clusterDomain);
    this.readHost = serviceHost(engine.topology.readServiceName(this.name), namespace, resolved.clusterDomain);
    this.credentialsSecret = props.credentialsSecret ?? kplus.Secret.fromSecretName(this, 'credentials', `${this.name}-credentials`);

    const context: EngineContext = {
      primaryPodHost: `${this.name}-0.${this.name}-hl.$(POD_NAMESPACE).svc.${resolved.clusterDomain}`,
      credentialsSecret: this.credentialsSecret,
      resources: resolved.resources,
      storage: resolved.storage,
    };
    this.configMap = new kplus.ConfigMap(this, 'config', { metadata: { name: `${this.name}-config` }, data: engine.configFiles(this, context) });
    this.scriptsConfigMap = new kplus.ConfigMap(this, 'scripts', {
      metadata: { name: `${this.name}-scripts` },
      // common.sh: functions every engine's scripts source (pod ordinal, waiting for the primary).
      data: Object.fromEntries([engineScript(__dirname, 'common.sh'), ...engine.scripts()].map((s) => [s.fileName, s.body])),
    });

    const servicePort = { name: engine.portName, port: engine.port, targetPort: engine.port };
    const peerPorts = engine.peerPorts().map((p) => ({ name: p.name, port: p.number, targetPort: p.number }));
    this.headlessService = new kplus.Service(this, 'headless', { metadata: { name: `${this.name}-hl` }, clusterIP: 'None', ports: [servicePort, ...peerPorts] });
    setPublishNotReadyAddresses(this.headlessService);
    this.primaryService = new kplus.Service(this, 'primary', { metadata: { name: engine.topology.primaryServiceName(this.name) }, ports: [servicePort] });
    // Peers have one client Service: it is both the primary and the read Service.
    const readName = engine.topology.readServiceName(this.name);
    this.readService = readName === engine.topology.primaryServiceName(this.name) ? this.primaryService
      : new kplus.Service(this, 'read', { metadata: { name: readName }, ports: [servicePort] });

    // `Default`: ApiObject.of(db) and db.node.defaultChild reach the StatefulSet.
    this.statefulSet = new kplus.StatefulSet(this, 'Default', {
      metadata: { name: this.name },
      service: this.headlessService,
      replicas: this.replicas,
      podManagementPolicy: resolved.podManagementPolicy,
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: resolved.partition }),
      terminationGracePeriod: resolved.terminationGracePeriod,
      ...productionPodProps(engine.user),
    });
    applyStableSelector(this.statefulSet, this.selectorLabels, [...new Set([this.headlessService, this.readService, this.primaryService])]);
    // Which pod is the primary is the topology's: pod 0, the leader an election labels, or none for peers.
    for (const [key, value] of Object.entries(engine.topology.primaryServiceSelector(this.name))) this.primaryService.selectLabel(key, value);

    this.container = this.addServerContainer(resolved, context);
    this.addStorage(resolved);
    completeRestrictedPod(this.statefulSet);
    spreadAcrossNodesAndZones(this.statefulSet, this.selectorLabels);

    this.podDisruptionBudget = createDisruptionBudget(this, 'pdb', { name: this.name, replicas: this.replicas, selectorLabels: this.selectorLabels, budget: resolved.disruptionBudget });
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      name: this.name,
      selectorLabels: this.selectorLabels,
      ingress: this.ingressRules(),
      egress: [{ peers: [NetworkPeer.pods(this.selectorLabels)], ports: [engine.port, ...engine.peerPorts().map((p) => p.number)] }],
    });
    if (props.metrics) this.metricsContainer = this.addMetricsExporter(context, props.metricsImage);
    rollOnConfigChange(this.statefulSet, this);
    labelAllObjects(this, recommendedLabels(identity));
    omitKubernetesDefaults(this);
    checkUniqueNames(this);
  }

  /** Inbound traffic: labelled clients and the cluster's own pods (replication) on the server port. */
  protected ingressRules(): TrafficRule[] {
    return [{ peers: [NetworkPeer.pods(this.clientLabels), NetworkPeer.pods(this.selectorLabels)], ports: [this.engine.port] }];
  }

  /**
   * The variables every container gets first: the pod's identity (engine env and the primary's
   * host refer to `$(POD_NAMESPACE)`, which must be declared before use) and where the scripts are.
   */
  private baseEnv(): Record<string, kplus.EnvValue> {
    return {
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      SCRIPTS_DIR: kplus.EnvValue.fromValue(DatabaseEngine.SCRIPTS_DIR),
    };
  }

  private addServerContainer(props: ResolvedDatabaseProps, ctx: EngineContext): kplus.Container {
    const engine = this.engine;
    const handlers = engine.probeHandlers();
    const probes = probeSet(PROBE_TIMINGS.database, handlers.readiness, handlers.liveness);
    const grace = props.terminationGracePeriod.toSeconds();
    // Stop before the kubelet's SIGKILL: leave part of the grace period for the process to exit.
    const stop = engine.gracefulStopCommand(Math.max(grace - DATABASE_DEFAULTS.stopMarginSeconds, 5));
    const command = engine.serverCommand();
    const container = this.statefulSet.addContainer(productionContainer(this, '', {
      name: engine.containerName,
      image: props.image,
      user: engine.user,
      resources: props.resources,
      ports: [{ name: engine.portName, number: engine.port }, ...engine.peerPorts()],
      envVariables: { ...this.baseEnv(), ...engine.serverEnv(ctx) },
      startup: probes.startup,
      readiness: probes.readiness,
      liveness: probes.liveness,
      ...(command ? { command } : {}),
      ...(stop ? { lifecycle: { preStop: kplus.Handler.fromCommand(stop) } } : {}),
    }));
    const initContainers = engine.initContainers(ctx).map((init) => this.statefulSet.addInitContainer(productionContainer(this, '', {
      name: init.name,
      image: props.image,
      user: engine.user,
      resources: presetResources(ResourcePreset.MICRO),
      command: init.command,
      envVariables: { ...this.baseEnv(), ...init.env },
    })));
    const everyContainer = [container, ...initContainers];
    mountWritablePaths(this.statefulSet, everyContainer, engine.writablePathsFor(ctx));
    const scripts = kplus.Volume.fromConfigMap(this, 'scripts-volume', this.scriptsConfigMap, { name: 'scripts', defaultMode: 0o555 });
    const config = kplus.Volume.fromConfigMap(this, 'config-volume', this.configMap, { name: 'config' });
    for (const c of everyContainer) {
      c.mount(DatabaseEngine.SCRIPTS_DIR, scripts, { readOnly: true });
      c.mount(engine.configMountPath, config, { readOnly: true });
    }
    if (engine.entrypointInitScript) {
      // The official images run executable *.sh files in /docker-entrypoint-initdb.d once, after initializing.
      container.mount('/docker-entrypoint-initdb.d', kplus.Volume.fromConfigMap(this, 'initdb-volume', this.scriptsConfigMap, {
        name: 'initdb', defaultMode: 0o555, items: { [engine.entrypointInitScript]: { path: `10-${engine.entrypointInitScript}` } },
      }), { readOnly: true });
    }
    return container;
  }

  private addMetricsExporter(ctx: EngineContext, image: string | undefined): kplus.Container {
    const exporter = this.engine.metricsExporter(ctx);
    if (!exporter) {
      throw new ConfigurationError(this, 'metrics', `is not supported by the ${this.engine.appName} engine: it supplies no exporter`, true,
        'Leave `metrics` out, or override metricsExporter() in the engine.');
    }
    const probe = ProbeHandler.http(exporter.healthPath, exporter.port);
    const container = this.statefulSet.addContainer(productionContainer(this, 'metrics', {
      name: 'metrics',
      image: image ?? exporter.image,
      user: exporter.user,
      resources: presetResources(ResourcePreset.NANO),
      ports: [{ name: 'metrics', number: exporter.port }],
      ...(exporter.args ? { args: exporter.args } : {}),
      envVariables: exporter.env,
      readiness: probe.toProbe(PROBE_TIMINGS.service.readiness),
      liveness: probe.toProbe(PROBE_TIMINGS.service.liveness),
    }));
    for (const [key, value] of Object.entries(scrapeAnnotations(exporter.port, exporter.path))) this.statefulSet.podMetadata.addAnnotation(key, value);
    // Prometheus runs elsewhere: the scrape port is open to any pod; the database port is not.
    this.networkPolicy.addJsonPatch(JsonPatch.add('/spec/ingress/-', { ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(exporter.port) }] }));
    return container;
  }

  private addStorage(props: ResolvedDatabaseProps): void {
    setVolumeClaimTemplates(this.statefulSet, [{
      name: 'data',
      storage: props.storage,
      storageClassName: props.storageClassName,
      accessModes: props.accessModes,
    }]);
    setPvcRetentionPolicy(this.statefulSet, props.pvcRetention, props.pvcRetention);
    for (const c of [...this.statefulSet.initContainers, this.container]) mountClaim(this.statefulSet, c, { claimName: 'data', path: this.engine.dataMountPath });
  }
}
