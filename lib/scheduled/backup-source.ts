import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ImageUser, WritablePath } from '../defaults/security';

/**
 * The engine-specific scripts of a backup source. The generic scripts (backup.sh, retention.sh,
 * upload.sh, download.sh, restore.sh) call them by these ConfigMap keys.
 */
export interface BackupScripts {
  /** `dump-database.sh`: writes one complete dump to the file named by `DUMP_FILE`, or fails. */
  readonly dump: string;
  /** `restore-database.sh`: restores the file named by `DUMP_FILE`, or fails. */
  readonly restore: string;
  /** `wait-for-database.sh`: exits 0 once the server accepts connections; fails after a timeout. */
  readonly waitForDatabase: string;
}

/**
 * What BackupCronJob and RestoreJob need to know about a database: how to connect (env with
 * Secret references, never literal passwords), which image has the matching client tools, and
 * the scripts that dump, restore and wait. PostgreSQL implements it in `PostgresBackupSource`;
 * another engine implements it in its own class and the jobs work unchanged. A construct, so the
 * jobs' `database` prop takes either a database cluster or a source (jsii has no union types).
 */
export interface IBackupSource extends IConstruct {
  /** The database construct, named in errors. */
  readonly database: IConstruct;
  /** The engine, e.g. `postgresql`; a restore reads only dumps of the same engine. */
  readonly engine: string;
  /**
   * Dump files are named `<dumpPrefix>-<YYYYMMDDTHHMMSSZ><dumpExtension>`. A DNS label
   * (lowercase letters, digits, "-"), e.g. `orders-db`.
   */
  readonly dumpPrefix: string;
  /** The file extension, e.g. `.sql.gz` or `.dump`. */
  readonly dumpExtension: string;
  /** The image with the client tools: the server's own image, for matching versions. */
  readonly image: string;
  /** The image's numeric user (the pod runs restricted as this user). */
  readonly user: ImageUser;
  /** The host the jobs connect to, e.g. the primary Service's DNS name. */
  readonly host: string;
  readonly port: number;
  /** Labels of the server pods: the jobs' NetworkPolicy allows egress to them on `port`. */
  readonly serverSelectorLabels: Record<string, string>;
  /** Labels the jobs' pods carry so the database's NetworkPolicy admits them. */
  readonly clientLabels: Record<string, string>;
  /** The Kubernetes namespace of the database, when its chart sets one. */
  readonly namespace?: string;
  /** Paths the client tools write (emptyDirs under a read-only root filesystem). */
  readonly writablePaths: WritablePath[];
  /** Connection env of every container that talks to the server (host, port, user, password ref). */
  connectionEnv(): Record<string, kplus.EnvValue>;
  /** How the dump is made and read back (format, scope), shared by backup and restore. */
  dumpEnv(): Record<string, kplus.EnvValue>;
  /** The engine's scripts. */
  scripts(): BackupScripts;
}

/** Whether a value implements IBackupSource (duck-typed: jsii objects have no runtime interface). */
export function isBackupSource(value: unknown): value is IBackupSource {
  const v = value as Partial<IBackupSource> | undefined;
  return typeof v === 'object' && v !== null
    && typeof v.connectionEnv === 'function' && typeof v.dumpEnv === 'function' && typeof v.scripts === 'function'
    && typeof v.dumpPrefix === 'string' && typeof v.image === 'string';
}
