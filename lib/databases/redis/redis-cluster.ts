import { Construct } from 'constructs';
import { presetResources, ResourcePreset } from '../../defaults';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { REDIS_SECRET_KEYS, RedisEngine } from './redis-engine';
import { RedisSettings } from './settings';

export interface RedisClusterProps extends ReplicatedDatabaseProps {
  /**
   * redis.conf settings, shipped in the `<name>-config` ConfigMap.
   * @default - maxmemory 75% of the memory limit, noeviction, append-only file fsync every second
   */
  readonly settings?: RedisSettings;
}

/**
 * A Redis primary with replicas: `<name>-0` is the primary, `<name>-1..n` run
 * `replicaof <name>-0.<name>-hl...`. Append-only persistence on each pod's volume.
 *
 * Secret `<name>-credentials` (or `credentialsSecret`) must hold `redis-password` (clients and
 * replicas authenticate with it). There is no Sentinel: no automatic failover.
 */
export class RedisCluster extends ReplicatedDatabase {
  public readonly redis: RedisEngine;
  /** The Secret key of the password. */
  public readonly passwordKey = REDIS_SECRET_KEYS.password;

  constructor(scope: Construct, id: string, props: RedisClusterProps = {}) {
    const resources = props.resources ?? presetResources(props.resourcePreset ?? ResourcePreset.SMALL);
    const engine = new RedisEngine(props.settings ?? {}, resources.memory?.limit);
    super(scope, id, engine, { ...props, ...(props.resources ? {} : { resourcePreset: props.resourcePreset ?? ResourcePreset.SMALL }) });
    this.redis = engine;
  }
}
