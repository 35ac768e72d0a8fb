import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';
import type { PostgresCluster } from './postgres-cluster';
import { BackupScripts } from '../backup-contract';
import { ClusterBackupSource, compressionLevel } from '../cluster-backup-source';
import { engineScript } from '../scripts';

const script = (fileName: string): string => engineScript(__dirname, fileName).body;

/** The file format of a single-database PostgreSQL dump. */
export enum PostgresDumpFormat {
  /** pg_dump's custom format (`.dump`): compressed, restored with pg_restore, allows selective restores. */
  CUSTOM = 'custom',
  /** SQL text compressed with gzip (`.sql.gz`): readable with `zcat`, restored with psql. */
  PLAIN = 'plain',
}

/** Options of a single-database dump. */
export interface PostgresDatabaseDumpOptions {
  /** The database to dump, e.g. `orders`. */
  readonly database: string;
  /** @default PostgresDumpFormat.CUSTOM */
  readonly format?: PostgresDumpFormat;
}

/**
 * What a PostgreSQL backup contains. Every dump is compressed (gzip / zlib), includes large
 * objects, and recreates its databases on restore (`--create --clean --if-exists`).
 */
export class PostgresDump {
  /**
   * `pg_dumpall --clean --if-exists`: roles and every database, plain SQL, gzip (`.sql.gz`).
   * The default: a restore brings back the whole cluster, logins included.
   */
  public static allDatabases(): PostgresDump {
    return new PostgresDump('all', PostgresDumpFormat.PLAIN);
  }

  /** `pg_dump` of one database in the custom (default) or plain format; roles are not included. */
  public static database(options: PostgresDatabaseDumpOptions): PostgresDump {
    return new PostgresDump('database', options.format ?? PostgresDumpFormat.CUSTOM, options.database);
  }

  private constructor(
    /** `all` (pg_dumpall) or `database` (pg_dump). */
    public readonly scope: string,
    public readonly format: PostgresDumpFormat,
    /** The database of a single-database dump. */
    public readonly databaseName?: string,
  ) {}

  /** The dump file extension. */
  public get extension(): string {
    return this.format === PostgresDumpFormat.CUSTOM ? '.dump' : '.sql.gz';
  }
}

/** Options of a PostgreSQL backup source. */
export interface PostgresBackupSourceOptions {
  /** @default PostgresDump.allDatabases() */
  readonly dump?: PostgresDump;
  /**
   * Dump files start with this (a DNS label).
   * @default - the cluster name, plus `-<database>` for a single-database dump
   */
  readonly dumpPrefix?: string;
  /**
   * gzip / zlib compression level, 1 (fast) to 9 (small).
   * @default 6
   */
  readonly compressionLevel?: number;
}

/**
 * A PostgresCluster as a backup source: connects to the primary Service as the superuser
 * (password from the cluster's Secret, key `postgres-password`) with the server's own image, so
 * pg_dump and the server have the same version. `new BackupCronJob(..., { database: cluster })`
 * uses this with the defaults; pass one explicitly to choose the dump:
 *
 * ```ts
 * new PostgresBackupSource(ordersDb, { dump: PostgresDump.database({ database: 'orders' }) })
 * ```
 */
export class PostgresBackupSource extends ClusterBackupSource {
  public readonly engine = 'postgresql';
  public readonly dumpExtension: string;
  /** What is dumped. */
  public readonly dump: PostgresDump;
  private readonly cluster: PostgresCluster;
  private readonly compressionLevel: number;

  constructor(cluster: PostgresCluster, options: PostgresBackupSourceOptions = {}) {
    const dump = options.dump ?? PostgresDump.allDatabases();
    if (dump.scope === 'database') validateDatabaseName(cluster, dump.databaseName);
    super(cluster, options.dumpPrefix ?? defaultPrefix(cluster.name, dump));
    this.cluster = cluster;
    this.dump = dump;
    this.compressionLevel = compressionLevel(cluster, options.compressionLevel);
    this.dumpExtension = dump.extension;
  }

  public connectionEnv(): { [name: string]: kplus.EnvValue } {
    return {
      PGHOST: kplus.EnvValue.fromValue(this.host),
      PGPORT: kplus.EnvValue.fromValue(String(this.port)),
      PGUSER: kplus.EnvValue.fromValue(this.cluster.superuser),
      PGPASSWORD: kplus.EnvValue.fromSecretValue({ secret: this.cluster.credentialsSecret, key: this.cluster.superuserPasswordKey }),
      // Never block on a prompt; fail fast on an unreachable host instead of hanging until the deadline.
      PGCONNECT_TIMEOUT: kplus.EnvValue.fromValue('10'),
    };
  }

  public dumpEnv(): { [name: string]: kplus.EnvValue } {
    return {
      PG_DUMP_SCOPE: kplus.EnvValue.fromValue(this.dump.scope),
      PG_DUMP_FORMAT: kplus.EnvValue.fromValue(this.dump.format),
      PG_COMPRESS_LEVEL: kplus.EnvValue.fromValue(String(this.compressionLevel)),
      ...(this.dump.databaseName ? { DUMP_DATABASE: kplus.EnvValue.fromValue(this.dump.databaseName) } : {}),
    };
  }

  public scripts(): BackupScripts {
    return {
      dump: script('backup-dump.sh'),
      restore: script('backup-restore.sh'),
      readinessCheck: script('backup-ready.sh'),
    };
  }
}

function defaultPrefix(clusterName: string, dump: PostgresDump): string {
  if (dump.scope === 'all') return clusterName;
  const db = dump.databaseName!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${clusterName}-${db || 'db'}`;
}

function validateDatabaseName(scope: IConstruct, database: string | undefined): void {
  if (!database || database.length > 63 || database.includes('\0')) {
    throw new ConfigurationError(scope, 'backup dump database', 'must be a PostgreSQL database name of 1-63 characters', database, 'Pass the database to dump, e.g. PostgresDump.database({ database: \'orders\' }).');
  }
}
