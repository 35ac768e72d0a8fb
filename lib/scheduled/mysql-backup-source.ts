import * as kplus from 'cdk8s-plus-27';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { ImageUser, WritablePath } from '../defaults/security';
import { dnsLabelProblem } from '../kube/names';
import { MySQLCluster } from '../databases/mysql/mysql-cluster';
import { BackupScripts, IBackupSource } from './backup-source';
import { readScript } from './scripts';

/** Options of a MySQL / MariaDB backup source. */
export interface MySqlBackupSourceOptions {
  /**
   * Dump files start with this (a DNS label).
   * @default - the cluster name
   */
  readonly dumpPrefix?: string;
  /**
   * gzip compression level, 1 (fast) to 9 (small).
   * @default 6
   */
  readonly compressionLevel?: number;
}

/**
 * A MySQLCluster (any flavor) as a backup source: every user database in one consistent
 * snapshot (`--single-transaction`, InnoDB), with routines, events and triggers, gzip
 * (`.sql.gz`). Users and grants (the `mysql` schema) are not included: restoring them across
 * servers would overwrite the target's accounts. Connects to the primary Service as root
 * (password from the cluster's Secret, key `root-password`) with the server's own image.
 */
export class MySqlBackupSource implements IBackupSource {
  public readonly database: IConstruct;
  public readonly engine: string;
  public readonly dumpPrefix: string;
  public readonly dumpExtension = '.sql.gz';
  public readonly image: string;
  public readonly user: ImageUser;
  public readonly host: string;
  public readonly port: number;
  public readonly serverSelectorLabels: Record<string, string>;
  public readonly clientLabels: Record<string, string>;
  public readonly namespace?: string;
  public readonly writablePaths: WritablePath[] = [{ path: '/tmp', volumeName: 'tmp' }];
  private readonly cluster: MySQLCluster;
  private readonly compressionLevel: number;

  constructor(cluster: MySQLCluster, options: MySqlBackupSourceOptions = {}) {
    this.cluster = cluster;
    this.database = cluster;
    this.engine = cluster.engine.appName;
    this.dumpPrefix = options.dumpPrefix ?? cluster.name;
    const prefixProblem = dnsLabelProblem(this.dumpPrefix, 40);
    if (prefixProblem) throw new ConfigurationError(cluster, 'backup dumpPrefix', prefixProblem, this.dumpPrefix, 'Pass dumpPrefix with lowercase letters, digits and "-", at most 40 characters.');
    this.compressionLevel = options.compressionLevel ?? 6;
    if (!Number.isInteger(this.compressionLevel) || this.compressionLevel < 1 || this.compressionLevel > 9) {
      throw new ConfigurationError(cluster, 'backup compressionLevel', 'must be an integer 1-9', this.compressionLevel, 'Use 6 (the gzip default) unless CPU or size matters more.');
    }
    this.image = cluster.container.image;
    this.user = cluster.engine.user;
    this.host = cluster.primaryHost;
    this.port = cluster.port;
    this.serverSelectorLabels = { ...cluster.selectorLabels };
    this.clientLabels = { ...cluster.clientLabels };
    this.namespace = Chart.of(cluster).namespace;
  }

  public connectionEnv(): Record<string, kplus.EnvValue> {
    const flavor = this.cluster.mysql.flavor;
    return {
      MYSQL_HOST: kplus.EnvValue.fromValue(this.host),
      MYSQL_PORT: kplus.EnvValue.fromValue(String(this.port)),
      // The clients read the password from MYSQL_PWD: it never appears on a command line.
      MYSQL_PWD: kplus.EnvValue.fromSecretValue({ secret: this.cluster.credentialsSecret, key: this.cluster.rootPasswordKey }),
      MYSQL_CLIENT: kplus.EnvValue.fromValue(flavor.client),
      MYSQL_ADMIN: kplus.EnvValue.fromValue(flavor.admin),
    };
  }

  public dumpEnv(): Record<string, kplus.EnvValue> {
    const flavor = this.cluster.mysql.flavor;
    return {
      MYSQL_DUMP: kplus.EnvValue.fromValue(flavor.dumpTool),
      MYSQL_DUMP_OPTIONS: kplus.EnvValue.fromValue(flavor.dumpOptions()),
      DUMP_COMPRESS_LEVEL: kplus.EnvValue.fromValue(String(this.compressionLevel)),
    };
  }

  public scripts(): BackupScripts {
    return { dump: readScript('mysql-dump.sh'), restore: readScript('mysql-restore.sh'), waitForDatabase: readScript('mysql-wait.sh') };
  }
}
