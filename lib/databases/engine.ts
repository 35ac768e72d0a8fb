import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, WritablePath } from '../defaults';

/** What the replicated-database base tells an engine about the cluster being built. */
export interface EngineContext {
  /** The DNS name of pod 0 (the primary) through the headless Service, valid inside the pods. */
  readonly primaryPodHost: string;
  /** The Secret holding the engine's credential keys. */
  readonly credentialsSecret: kplus.ISecret;
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
  readonly name: string;
  /** The command; scripts are available under `scriptsMountPath`. */
  readonly command: string[];
  readonly env: Record<string, kplus.EnvValue>;
}

/**
 * Everything that differs between database engines. The replicated-database base builds the
 * StatefulSet, Services, budget, policies and storage; an engine supplies image, user, paths,
 * configuration, scripts and probes.
 */
export abstract class DatabaseEngine {
  /** `app.kubernetes.io/name`, e.g. `postgresql`. */
  public abstract readonly appName: string;
  /** The pinned default image. */
  public abstract readonly defaultImage: string;
  /** The numeric user of the official image. */
  public abstract readonly user: ImageUser;
  public abstract readonly port: number;
  /** The container and Service port name (IANA service name, at most 15 characters). */
  public abstract readonly portName: string;
  /** Where the data volume is mounted. */
  public abstract readonly dataMountPath: string;
  /** Where the settings ConfigMap is mounted. */
  public abstract readonly configMountPath: string;
  /** Paths the image writes besides the data volume (emptyDirs under a read-only root). */
  public abstract readonly writablePaths: WritablePath[];
  /** The Secret keys the engine reads, documented for users. */
  public abstract readonly secretKeys: string[];
  /** The container name of the server. */
  public abstract readonly containerName: string;

  /** The settings ConfigMap data (file name -> content). */
  public abstract configFiles(scope: IConstruct): Record<string, string>;
  /** Scripts shipped in the scripts ConfigMap. */
  public abstract scripts(): EngineScript[];
  /** Environment of the server container. */
  public abstract serverEnv(ctx: EngineContext): Record<string, kplus.EnvValue>;
  /** Init containers (same image as the server). */
  public abstract initContainers(ctx: EngineContext): EngineInitContainer[];
  /** Readiness (ready for traffic) and liveness (the process answers) handlers. */
  public abstract probeHandlers(): { readiness: ProbeHandler; liveness: ProbeHandler };
  /**
   * A command that stops the server cleanly within `seconds` (preStop), when SIGTERM alone
   * does not (PostgreSQL's default on SIGTERM waits for clients to disconnect).
   */
  public gracefulStopCommand(_seconds: number): string[] | undefined {
    return undefined;
  }
  /** The server command, when the image's default is not enough. */
  public serverCommand(): string[] | undefined {
    return undefined;
  }
  /**
   * A script (a file of `scripts()`) the official image runs once from
   * /docker-entrypoint-initdb.d after initializing an empty data directory.
   */
  public readonly entrypointInitScript?: string;
  /** Where the scripts ConfigMap is mounted in every container. */
  public readonly scriptsMountPath = '/opt/cdk8s-workloads';
}
