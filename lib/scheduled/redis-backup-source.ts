import * as kplus from 'cdk8s-plus-27';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { ImageUser, WritablePath } from '../defaults/security';
import { dnsLabelProblem } from '../kube/names';
import { RedisCluster } from '../databases/redis/redis-cluster';
import { BackupScripts, IBackupSource } from './backup-source';
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
export class RedisBackupSource implements IBackupSource {
  public readonly database: IConstruct;
  public readonly engine = 'redis';
  public readonly dumpPrefix: string;
  public readonly dumpExtension = '.rdb';
  public readonly image: string;
  public readonly user: ImageUser;
  public readonly host: string;
  public readonly port: number;
  public readonly serverSelectorLabels: Record<string, string>;
  public readonly clientLabels: Record<string, string>;
  public readonly namespace?: string;
  public readonly writablePaths: WritablePath[] = [{ path: '/tmp', volumeName: 'tmp' }];
  private readonly cluster: RedisCluster;

  constructor(cluster: RedisCluster, options: RedisBackupSourceOptions = {}) {
    this.cluster = cluster;
    this.database = cluster;
    this.dumpPrefix = options.dumpPrefix ?? cluster.name;
    const prefixProblem = dnsLabelProblem(this.dumpPrefix, 40);
    if (prefixProblem) throw new ConfigurationError(cluster, 'backup dumpPrefix', prefixProblem, this.dumpPrefix, 'Pass dumpPrefix with lowercase letters, digits and "-", at most 40 characters.');
    this.image = cluster.container.image;
    this.user = cluster.engine.user;
    this.host = cluster.primaryHost;
    this.port = cluster.port;
    this.serverSelectorLabels = { ...cluster.selectorLabels };
    this.clientLabels = { ...cluster.clientLabels };
    this.namespace = Chart.of(cluster).namespace;
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
