import * as kplus from 'cdk8s-plus-27';
import type { RedisCluster } from './redis-cluster';
import { BackupScripts } from '../backup-contract';
import { ClusterBackupSource } from '../cluster-backup-source';
import { engineScript } from '../scripts';

const script = (fileName: string): string => engineScript(__dirname, fileName).body;

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

  public connectionEnv(): { [name: string]: kplus.EnvValue } {
    return {
      REDIS_HOST: kplus.EnvValue.fromValue(this.host),
      REDIS_PORT: kplus.EnvValue.fromValue(String(this.port)),
      // redis-cli reads the password from REDISCLI_AUTH: it never appears on a command line.
      REDISCLI_AUTH: kplus.EnvValue.fromSecretValue({ secret: this.cluster.credentialsSecret, key: this.cluster.passwordKey }),
    };
  }

  public dumpEnv(): { [name: string]: kplus.EnvValue } {
    return {};
  }

  public scripts(): BackupScripts {
    return { dump: script('backup-dump.sh'), restore: script('backup-restore.sh'), readinessCheck: script('backup-ready.sh') };
  }
}
