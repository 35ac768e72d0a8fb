import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, ResourcePreset, WritablePath } from '../defaults';
import { DatabaseTopology } from './topology';

/**
 * What the replicated-database base tells an engine about the cluster being built. Every
 * container the base creates already has `POD_NAMESPACE`, `POD_NAME` and `SCRIPTS_DIR` as its
 * first variables, so engine env may refer to `$(POD_NAMESPACE)` and `$(POD_NAME)`.
 */
export interface EngineContext {
  /** The DNS name of pod 0 through the headless Service (the primary, when the topology's primary is pod 0); refers to `$(POD_NAMESPACE)`. */
  readonly primaryPodHost: string;
  /** The Secret holding the engine's credential keys. */
  readonly credentialsSecret: kplus.ISecret;
  /** The server container's resources (the user's, or the engine's default preset). */
  readonly resources: kplus.ContainerResources;
  /** The size of each pod's data volume (settings that bound disk use are derived from it). */
  readonly storage: Size;
}

/** A shell script a container runs, shipped in the cluster's scripts ConfigMap. */
export interface EngineScript {
  /** The file name (a ConfigMap key). */
  readonly fileName: string;
  /** The script text; it must pass shellcheck and is executed in tests against the real server. */
  readonly body: string;
}

/** An init container an engine needs, run on every pod before the server. */
export interface EngineInitContainer {
  /** The container name. */
  readonly name: string;
  /** The command; scripts are under `DatabaseEngine.SCRIPTS_DIR`. */
  readonly command: string[];
  /** Environment, after the base's POD_NAMESPACE, POD_NAME and SCRIPTS_DIR. */
  readonly env: { [name: string]: kplus.EnvValue };
}

/** A port of the server besides its main one (e.g. a peer-to-peer transport). */
export interface EnginePort {
  /** The container and Service port name (at most 15 characters). */
  readonly name: string;
  /** The TCP port. */
  readonly number: number;
}

/** The probe handlers of the server container. */
export interface EngineProbes {
  /** Ready for traffic. */
  readonly readiness: ProbeHandler;
  /** The process answers (a failure restarts the container). */
  readonly liveness: ProbeHandler;
}

/**
 * A Prometheus exporter an engine runs as a sidecar beside its server. The base adds it (as
 * container `metrics` with port `metrics`, scrape annotations and an ingress rule for the port)
 * when the database's `metrics` prop is on; `Monitors` turns it into a PodMonitor.
 */
export interface EngineMetricsExporter {
  /** The pinned exporter image (the `metricsImage` prop overrides it). */
  readonly image: string;
  /** The image's numeric user. */
  readonly user: ImageUser;
  /** The port the exporter serves on. */
  readonly port: number;
  /** The metrics path. */
  readonly path: string;
  /** A path that answers 200 without querying the database (probes must not fail with it). */
  readonly healthPath: string;
  /**
   * Exporter arguments.
   * @default - the image's defaults
   */
  readonly args?: string[];
  /** Environment: where the server is and its credentials (by reference). */
  readonly env: { [name: string]: kplus.EnvValue };
}

/**
 * Everything that differs between database engines. The replicated-database base builds the
 * StatefulSet, Services, budget, policies and storage; an engine supplies image, user, paths,
 * configuration, scripts and probes.
 */
export abstract class DatabaseEngine {
  /** Where the scripts ConfigMap is mounted in every container; also the containers' `SCRIPTS_DIR`. */
  public static readonly SCRIPTS_DIR = '/opt/cdk8s-workloads';

  /** `app.kubernetes.io/name`, e.g. `postgresql`. */
  public abstract readonly appName: string;
  /** The pinned default image. */
  public abstract readonly defaultImage: string;
  /** The numeric user of the official image. */
  public abstract readonly user: ImageUser;
  /** The server's TCP port. */
  public abstract readonly port: number;
  /** The container and Service port name (IANA service name, at most 15 characters). */
  public abstract readonly portName: string;
  /** Where the data volume is mounted. */
  public abstract readonly dataMountPath: string;
  /** Where the settings ConfigMap is mounted. */
  public abstract readonly configMountPath: string;
  /** Paths the image writes besides the data volume (emptyDirs under a read-only root). */
  public abstract readonly writablePaths: WritablePath[];
  /**
   * The writable paths of this cluster's pods. Engines whose paths depend on the cluster
   * override it (PostgreSQL sizes the memory-backed /dev/shm from the memory limit).
   * @default - writablePaths
   */
  public writablePathsFor(_ctx: EngineContext): WritablePath[] {
    return this.writablePaths;
  }
  /** The container name of the server. */
  public abstract readonly containerName: string;
  /** The size of the server container when the user passes neither `resources` nor `resourcePreset`. */
  public readonly defaultResourcePreset: ResourcePreset = ResourcePreset.MEDIUM;
  /**
   * A script (a file of `scripts()`) the official image runs once from
   * /docker-entrypoint-initdb.d after initializing an empty data directory.
   * @default - none
   */
  public readonly entrypointInitScript?: string;

  /** The settings ConfigMap data (file name -> content). */
  public abstract configFiles(scope: IConstruct, ctx: EngineContext): { [fileName: string]: string };
  /** Scripts shipped in the scripts ConfigMap. */
  public abstract scripts(): EngineScript[];
  /** Environment of the server container, after the base's POD_NAMESPACE, POD_NAME and SCRIPTS_DIR. */
  public abstract serverEnv(ctx: EngineContext): { [name: string]: kplus.EnvValue };
  /** Init containers (same image as the server). */
  public abstract initContainers(ctx: EngineContext): EngineInitContainer[];
  /** Readiness and liveness handlers of the server. */
  public abstract probeHandlers(): EngineProbes;
  /**
   * A command that stops the server cleanly within `seconds` (preStop), when SIGTERM alone
   * does not (PostgreSQL's default on SIGTERM waits for clients to disconnect).
   * @default - none: SIGTERM is enough
   */
  public gracefulStopCommand(_seconds: number): string[] | undefined {
    return undefined;
  }
  /**
   * The server command, when the image's default is not enough.
   * @default - the image's entrypoint
   */
  public serverCommand(): string[] | undefined {
    return undefined;
  }
  /**
   * The metrics exporter sidecar, added when the database's `metrics` prop is on.
   * @default - none: `metrics: true` is rejected
   */
  public metricsExporter(_ctx: EngineContext): EngineMetricsExporter | undefined {
    return undefined;
  }
  /**
   * How the pods relate and where the primary is: which client Services the base creates and
   * what they select (pod 0, the elected leader's role label, or every pod for peers).
   * @default DatabaseTopology.primaryReplicas()
   */
  public readonly topology: DatabaseTopology = DatabaseTopology.primaryReplicas();
  /**
   * Ports besides `port`, only between the cluster's own pods: declared on the container and the
   * headless Service, and allowed to the peers by the NetworkPolicy.
   * @default - none
   */
  public peerPorts(): EnginePort[] {
    return [];
  }
  /** `/bin/sh <SCRIPTS_DIR>/<fileName>`: runs one of the engine's scripts. */
  protected runScript(fileName: string): string[] {
    return ['/bin/sh', `${DatabaseEngine.SCRIPTS_DIR}/${fileName}`];
  }
}
