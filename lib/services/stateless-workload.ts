/**
 * StatelessWorkload: a Deployment with the library's production defaults, for applications and
 * for the services this library builds on it (Logstash). Everything it emits reuses lib/defaults:
 * resources, probes, restricted security context, writable paths, PDB, spread, NetworkPolicy,
 * stable selectors and config checksums.
 */
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  applyStableSelector, completeRestrictedPod, createDisruptionBudget, createNetworkPolicy, DisruptionBudget, ImageUser, labelAllObjects,
  mountWritablePaths, NetworkPeer, probeSet, productionContainer, productionPodProps, recommendedLabels, ResourcePreset,
  selectorLabels, spreadAcrossNodesAndZones, validateLabels, WorkloadIdentity, WritablePath,
} from '../defaults';
import { rollOnConfigChange } from '../defaults/rollout';
import { checkConstructId } from '../defaults/props';
import { checkUniqueNames } from '../defaults/unique-names';
import { ConflictingPropsError } from '../errors';
import { disableServiceLinks } from '../kube/pod';
import { serviceHost } from '../kube/service';
import { AutoscalingOptions, createAutoscaler } from './autoscaling';
import { resolveWorkloadProps, ResolvedWorkloadProps } from './workload-validation';
import type { WorkloadPort, WorkloadProbes } from './workload-types';

/** Props of a StatelessWorkload. */
export interface StatelessWorkloadProps {
  /** The pinned image (a tag other than `latest`, or a digest). */
  readonly image: string;
  /**
   * The image's numeric user (kubelet accepts `runAsNonRoot` only with a numeric uid), e.g.
   * `{ uid: 1000, gid: 1000 }`. Read it from the image's Dockerfile (`USER`).
   */
  readonly user: ImageUser;
  /**
   * Name of the Deployment, its Service and the other objects.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The ports the container listens on; each becomes a port of the Service (unless `expose: false`).
   * @default - none: no Service is created
   */
  readonly ports?: WorkloadPort[];
  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * The arguments.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Environment variables; secrets by reference (`kplus.EnvValue.fromSecretValue`).
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * A named resource size.
   * @default ResourcePreset.SMALL (250m / 256Mi requested, 500m / 512Mi limit)
   */
  readonly resourcePreset?: ResourcePreset;
  /**
   * Explicit requests and limits (cpu and memory); conflicts with `resourcePreset`.
   * @default - the preset's
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Health checks.
   * @default - a TCP check on the first port (no probes when there are no ports)
   */
  readonly probes?: WorkloadProbes;
  /**
   * Paths the process writes, each an emptyDir (the root filesystem is read-only).
   * @default - [{ path: '/tmp', volumeName: 'tmp' }]
   */
  readonly writablePaths?: WritablePath[];
  /**
   * Pods to run; conflicts with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Scale on CPU with a HorizontalPodAutoscaler; then `replicas` is not written to the
   * Deployment, so `kubectl apply` does not fight the autoscaler.
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * How many pods a drain may take down (a PodDisruptionBudget is created for 2 pods or more).
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * How pods are replaced on an update.
   * @default - RollingUpdate with maxSurge 1 and maxUnavailable 0 (never below the desired count)
   */
  readonly strategy?: kplus.DeploymentStrategy;
  /**
   * Labels of the pods allowed to connect; the NetworkPolicy admits only them (and `allowFrom`).
   * Conflicts with `allowedClients`.
   * @default { 'cdk8s-workloads.io/client-of': '<name>' }
   */
  readonly clientLabels?: { [key: string]: string };
  /**
   * More peers allowed to connect, besides the pods with `clientLabels`, e.g.
   * `NetworkPeer.namespaces({ 'kubernetes.io/metadata.name': 'ingress-nginx' })`. Conflicts with `allowedClients`.
   * @default - none
   */
  readonly allowFrom?: NetworkPeer[];
  /**
   * The only peers the NetworkPolicy admits, instead of the pods with the client labels in the
   * workload's namespace, e.g. a collector in another namespace:
   * `[NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' })]`.
   * They reach the exposed ports (every port except `expose: false` ones), nothing else.
   *
   * It is the complete list, so it conflicts with `clientLabels` and `allowFrom` (one of them would
   * be silently dropped), and with a workload that exposes no port. An empty list is refused: a
   * rule without peers admits every source. `clientLabels` and `clientPodLabels()` still return the
   * default labels, but those pods are not admitted.
   * @default - the pods with `clientLabels` in the workload's namespace, and `allowFrom`
   */
  readonly allowedClients?: NetworkPeer[];
  /**
   * Time for a clean shutdown before the kubelet kills the process.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * `app.kubernetes.io/name`.
   * @default - the name
   */
  readonly appName?: string;
  /**
   * `app.kubernetes.io/component`.
   * @default 'server'
   */
  readonly component?: string;
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

/**
 * A stateless application on a Deployment, with production defaults: explicit resources,
 * probes, a restricted security context with a read-only root filesystem (writable paths as
 * emptyDirs), soft spread across nodes and zones, a PodDisruptionBudget for two pods or more, a
 * default-deny NetworkPolicy admitting only labelled clients (or `allowedClients`), stable selectors, an optional
 * HorizontalPodAutoscaler, a ClusterIP Service, and a checksum of its ConfigMaps on the pod
 * template so a configuration change rolls the pods.
 */
export class StatelessWorkload extends Construct {
  /** The Deployment (also `node.defaultChild`, so `ApiObject.of(workload)` is its L1 object). */
  public readonly deployment: kplus.Deployment;
  /** The application container. */
  public readonly container: kplus.Container;
  /** The ClusterIP Service, when there are ports. */
  public readonly service?: kplus.Service;
  /** The PodDisruptionBudget, for 2 pods or more. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy admitting the clients (or `allowedClients`) on the exposed ports. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The autoscaler, when `autoscaling` is set. */
  public readonly horizontalPodAutoscaler?: kplus.HorizontalPodAutoscaler;
  /** The name of the Deployment and its objects. */
  public readonly name: string;
  /** The Service's DNS name (fully qualified when the chart has a namespace), when there are ports. */
  public readonly host?: string;
  /** The labels that select this workload's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The labels client pods need to pass the NetworkPolicy (none pass when `allowedClients` is set). */
  public readonly clientLabels: { [key: string]: string };
  /** The replicas the Deployment starts with (the autoscaler's minimum when autoscaled). */
  public readonly replicas: number;
  /** The recommended labels every object carries. */
  public readonly labels: { [key: string]: string };

  constructor(scope: Construct, id: string, props: StatelessWorkloadProps) {
    checkConstructId(scope, id);
    super(scope, id);
    const resolved = resolveWorkloadProps(this, id, props);
    this.name = resolved.name;
    this.replicas = resolved.replicas;
    const identity: WorkloadIdentity = { name: resolved.appName, instance: this.name, component: resolved.component, partOf: resolved.partOf };
    this.selectorLabels = selectorLabels(identity);
    this.labels = recommendedLabels(identity);
    this.clientLabels = resolved.clientLabels;
    validateLabels(this, 'clientLabels', this.clientLabels);

    const exposed = resolved.ports.filter((p) => p.expose);
    if (exposed.length > 0) {
      this.service = new kplus.Service(this, 'service', {
        metadata: { name: this.name },
        ports: exposed.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })),
      });
      this.host = serviceHost(this.name, Chart.of(this).namespace, resolved.clusterDomain);
    }
    // `Default`: ApiObject.of(workload) and workload.node.defaultChild reach the Deployment.
    this.deployment = new kplus.Deployment(this, 'Default', {
      metadata: { name: this.name },
      // Autoscaled: no replicas on the Deployment (the autoscaler owns the count).
      replicas: resolved.autoscaling ? undefined : resolved.replicas,
      strategy: props.strategy ?? kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      terminationGracePeriod: resolved.terminationGracePeriod,
      ...productionPodProps(props.user),
    });
    applyStableSelector(this.deployment, this.selectorLabels, this.service ? [this.service] : []);
    this.container = this.addMainContainer(props, resolved);
    mountWritablePaths(this, [this.container], resolved.writablePaths);
    completeRestrictedPod(this.deployment);
    disableServiceLinks(this.deployment);
    spreadAcrossNodesAndZones(this.deployment, this.selectorLabels);

    if (resolved.autoscaling) this.horizontalPodAutoscaler = createAutoscaler(this, this.name, this.deployment, resolved.autoscaling);
    if (resolved.replicas > 1) {
      this.podDisruptionBudget = createDisruptionBudget(this, 'pdb', { name: this.name, replicas: resolved.replicas, selectorLabels: this.selectorLabels, budget: props.disruptionBudget });
    } else if (props.disruptionBudget) {
      throw new ConflictingPropsError(this, [`disruptionBudget is set (${props.disruptionBudget.toString()}) but the workload runs 1 pod, which gets no PodDisruptionBudget: run 2 replicas or more, or drop disruptionBudget`]);
    }
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      name: this.name,
      selectorLabels: this.selectorLabels,
      ingress: exposed.length === 0 ? [] : [{ peers: resolved.ingressPeers, ports: exposed.map((p) => p.port) }],
    });
    rollOnConfigChange(this.deployment, this);
    labelAllObjects(this, this.labels);
    checkUniqueNames(this);
  }

  /**
   * A label map that makes a pod a client this workload's NetworkPolicy admits.
   * With `allowedClients` the policy admits only those peers, and these labels open nothing.
   */
  public clientPodLabels(): { [key: string]: string } {
    return { ...this.clientLabels };
  }

  private addMainContainer(props: StatelessWorkloadProps, resolved: ResolvedWorkloadProps): kplus.Container {
    const probes = resolved.probes && probeSet(resolved.probes.timings, resolved.probes.readiness, resolved.probes.liveness);
    return this.deployment.addContainer(productionContainer(this, '', {
      name: resolved.containerName,
      image: props.image,
      user: props.user,
      resources: resolved.resources,
      ports: resolved.ports.map((p) => ({ name: p.name, number: p.port })),
      envVariables: props.env,
      ...(props.command ? { command: props.command } : {}),
      ...(props.args ? { args: props.args } : {}),
      ...(probes ? { startup: probes.startup, readiness: probes.readiness, liveness: probes.liveness } : {}),
    }));
  }
}
