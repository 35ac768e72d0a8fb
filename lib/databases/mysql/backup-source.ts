import * as kplus from 'cdk8s-plus-27';
import type { MySqlCluster } from './mysql-cluster';
import { BackupScripts } from '../backup-contract';
import { ClusterBackupSource, compressionLevel } from '../cluster-backup-source';
import { engineScript } from '../scripts';

const script = (fileName: string): string => engineScript(__dirname, fileName).body;

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
 * A MySqlCluster (any flavor) as a backup source: every user database in one consistent
 * snapshot (`--single-transaction`, InnoDB), with routines, events and triggers, gzip
 * (`.sql.gz`). Users and grants (the `mysql` schema) are not included: restoring them across
 * servers would overwrite the target's accounts. Connects to the primary Service as root
 * (password from the cluster's Secret, key `root-password`) with the server's own image.
 */
export class MySqlBackupSource extends ClusterBackupSource {
  public readonly engine: string;
  public readonly dumpExtension = '.sql.gz';
  private readonly cluster: MySqlCluster;
  private readonly compressionLevel: number;

  constructor(cluster: MySqlCluster, options: MySqlBackupSourceOptions = {}) {
    super(cluster, options.dumpPrefix ?? cluster.name);
    this.cluster = cluster;
    this.engine = cluster.engine.appName;
    this.compressionLevel = compressionLevel(cluster, options.compressionLevel);
  }

  public connectionEnv(): { [name: string]: kplus.EnvValue } {
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

  public dumpEnv(): { [name: string]: kplus.EnvValue } {
    const flavor = this.cluster.mysql.flavor;
    return {
      MYSQL_DUMP: kplus.EnvValue.fromValue(flavor.dumpTool),
      MYSQL_DUMP_OPTIONS: kplus.EnvValue.fromValue(flavor.dumpOptions()),
      DUMP_COMPRESS_LEVEL: kplus.EnvValue.fromValue(String(this.compressionLevel)),
    };
  }

  public scripts(): BackupScripts {
    return { dump: script('backup-dump.sh'), restore: script('backup-restore.sh'), readinessCheck: script('backup-ready.sh') };
  }
}
