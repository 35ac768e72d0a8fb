import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, ResourcePreset, WritablePath } from '../../defaults';
import { DatabaseEngine, EngineContext, EngineInitContainer, EngineMetricsExporter, EngineProbes, EngineScript } from '../engine';
import { redisExporter } from './exporter';
import { engineScript } from '../scripts';
import { renderRedisConfig, RedisSettings } from './settings';

/** Secret keys RedisCluster reads. */
export const REDIS_SECRET_KEYS = {
  /** requirepass and masterauth: clients and replicas authenticate with it. */
  password: 'redis-password',
};

/**
 * Redis on the official image (uid/gid 999). Only /data (the volume) is written; the root
 * filesystem is read-only. Ordinal 0 is the primary, the others start with `replicaof`.
 */
export class RedisEngine extends DatabaseEngine {
  public readonly appName = 'redis';
  public readonly defaultImage = 'redis:7.2.5';
  public readonly user: ImageUser = { uid: 999, gid: 999 };
  public readonly port = 6379;
  public readonly portName = 'redis';
  public readonly containerName = 'redis';
  public readonly dataMountPath = '/data';
  public readonly configMountPath = '/etc/cdk8s-workloads/redis';
  public readonly writablePaths: WritablePath[] = [];
  public readonly defaultResourcePreset = ResourcePreset.SMALL;

  constructor(private readonly settings: RedisSettings = {}) {
    super();
  }

  /** redis_exporter v1.80.0 on 9121, on the loopback with the password. */
  public metricsExporter(ctx: EngineContext): EngineMetricsExporter | undefined {
    return redisExporter(ctx, this.port, REDIS_SECRET_KEYS.password);
  }

  public configFiles(scope: IConstruct, ctx: EngineContext): { [fileName: string]: string } {
    // maxmemory defaults to a share of the server container's memory limit.
    return { 'redis.conf': renderRedisConfig(scope, this.settings, ctx.resources.memory?.limit) };
  }

  public scripts(): EngineScript[] {
    return ['start.sh', 'readiness.sh', 'liveness.sh'].map((f) => engineScript(__dirname, f));
  }

  public serverCommand(): string[] {
    return this.runScript('start.sh');
  }

  public serverEnv(ctx: EngineContext): { [name: string]: kplus.EnvValue } {
    return {
      PRIMARY_HOST: kplus.EnvValue.fromValue(ctx.primaryPodHost),
      REDIS_PORT: kplus.EnvValue.fromValue(String(this.port)),
      REDIS_CONFIG: kplus.EnvValue.fromValue(`${this.configMountPath}/redis.conf`),
      REDIS_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: REDIS_SECRET_KEYS.password }),
    };
  }

  public initContainers(_ctx: EngineContext): EngineInitContainer[] {
    return [];
  }

  public probeHandlers(): EngineProbes {
    return {
      readiness: ProbeHandler.exec(this.runScript('readiness.sh')),
      liveness: ProbeHandler.exec(this.runScript('liveness.sh')),
    };
  }
}
