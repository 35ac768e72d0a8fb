import { Construct } from 'constructs';
import { IBackupable, IBackupSource } from '../backup-contract';
import { PropKeys } from '../../defaults/props';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { RedisBackupSource } from './backup-source';
import { REDIS_SECRET_KEYS, RedisEngine } from './redis-engine';
import { RedisSettings } from './settings';

export interface RedisClusterProps extends ReplicatedDatabaseProps {
  /**
   * redis.conf settings, shipped in the `<name>-config` ConfigMap.
   * @default - maxmemory 75% of the memory limit, noeviction, append-only file fsync every second
   */
  readonly settings?: RedisSettings;
}

/** The props RedisClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<RedisClusterProps, keyof ReplicatedDatabaseProps>> = { settings: true };

/**
 * A Redis primary with replicas: `<name>-0` is the primary, `<name>-1..n` run
 * `replicaof <name>-0.<name>-hl...`. Append-only persistence on each pod's volume.
 *
 * Secret `<name>-credentials` (or `credentialsSecret`) must hold `redis-password` (clients and
 * replicas authenticate with it). There is no Sentinel: no automatic failover.
 */
export class RedisCluster extends ReplicatedDatabase implements IBackupable {
  public readonly redis: RedisEngine;
  /** The Secret key of the password. */
  public readonly passwordKey = REDIS_SECRET_KEYS.password;

  constructor(scope: Construct, id: string, props: RedisClusterProps = {}) {
    const engine = new RedisEngine(props.settings);
    super(scope, id, engine, props, Object.keys(OWN_PROPS));
    this.redis = engine;
  }

  private defaultBackupSource?: RedisBackupSource;

  /** What BackupCronJob and RestoreJob dump and restore by default: an RDB snapshot of the primary (pass a `RedisBackupSource` to choose options). */
  public backupSource(): IBackupSource {
    this.defaultBackupSource ??= new RedisBackupSource(this);
    return this.defaultBackupSource;
  }
}
