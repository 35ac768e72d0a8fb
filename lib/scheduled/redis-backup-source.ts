import * as kplus from 'cdk8s-plus-27';
import { RedisCluster } from '../databases/redis/redis-cluster';
import { BackupScripts } from './backup-source';
import { ClusterBackupSource } from './cluster-backup-source';
import { readScript } from './scripts';

/** Options of a Redis backup source. */
export interface RedisBackupSourceOptions {
  /**
   * Dump files start with this (a DNS label).
   * @default - the cluster name
   */
  readonly dumpPrefix?: string;
}

/**
 * A RedisCluster as a backup source: an RDB snapshot of the primary (`redis-cli --rdb`,
 * `.rdb`), checked with redis-check-rdb. A restore loads the snapshot into a private server in
 * the restore pod and moves every key to the target with MIGRATE (values and TTLs unchanged),
 * after emptying the target. The restore pod's /tmp holds a copy of the dump: size the
 * emptyDir (or the node's disk) for it.
 */
export class RedisBackupSource extends ClusterBackupSource {
  public readonly engine = 'redis';
  public readonly dumpExtension = '.rdb';
  private readonly cluster: RedisCluster;

  constructor(cluster: RedisCluster, options: RedisBackupSourceOptions = {}) {
    super(cluster, options.dumpPrefix ?? cluster.name);
    this.cluster = cluster;
  }

  public connectionEnv(): Record<string, kplus.EnvValue> {
    return {
      REDIS_HOST: kplus.EnvValue.fromValue(this.host),
      REDIS_PORT: kplus.EnvValue.fromValue(String(this.port)),
      // redis-cli reads the password from REDISCLI_AUTH: it never appears on a command line.
      REDISCLI_AUTH: kplus.EnvValue.fromSecretValue({ secret: this.cluster.credentialsSecret, key: this.cluster.passwordKey }),
    };
  }

  public dumpEnv(): Record<string, kplus.EnvValue> {
    return {};
  }

  public scripts(): BackupScripts {
    return { dump: readScript('redis-dump.sh'), restore: readScript('redis-restore.sh'), waitForDatabase: readScript('redis-wait.sh') };
  }
}
