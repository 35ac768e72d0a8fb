import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ProbeHandler } from '../../defaults';
import { DatabaseEngine, EngineContext, EngineInitContainer, EngineScript } from '../engine';
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
  public readonly user = { uid: 999, gid: 999 };
  public readonly port = 6379;
  public readonly portName = 'redis';
  public readonly containerName = 'redis';
  public readonly dataMountPath = '/data';
  public readonly configMountPath = '/etc/cdk8s-workloads/redis';
  public readonly writablePaths = [];
  public readonly secretKeys = Object.values(REDIS_SECRET_KEYS);

  constructor(private readonly settings: RedisSettings, private readonly memoryLimit: Size | undefined) {
    super();
  }

  public configFiles(scope: IConstruct): Record<string, string> {
    return { 'redis.conf': renderRedisConfig(scope, this.settings, this.memoryLimit) };
  }

  public scripts(): EngineScript[] {
    return ['start.sh', 'readiness.sh', 'liveness.sh'].map((f) => engineScript(__dirname, f));
  }

  public serverCommand(): string[] {
    return ['/bin/sh', `${this.scriptsMountPath}/start.sh`];
  }

  public serverEnv(ctx: EngineContext): Record<string, kplus.EnvValue> {
    return {
      // Declared before PRIMARY_HOST, which refers to it as $(POD_NAMESPACE).
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      PRIMARY_HOST: kplus.EnvValue.fromValue(ctx.primaryPodHost),
      REDIS_PORT: kplus.EnvValue.fromValue(String(this.port)),
      REDIS_CONFIG: kplus.EnvValue.fromValue(`${this.configMountPath}/redis.conf`),
      REDIS_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key: REDIS_SECRET_KEYS.password }),
    };
  }

  public initContainers(_ctx: EngineContext): EngineInitContainer[] {
    return [];
  }

  public probeHandlers(): { readiness: ProbeHandler; liveness: ProbeHandler } {
    return {
      readiness: ProbeHandler.exec(['/bin/sh', `${this.scriptsMountPath}/readiness.sh`]),
      liveness: ProbeHandler.exec(['/bin/sh', `${this.scriptsMountPath}/liveness.sh`]),
    };
  }
}
