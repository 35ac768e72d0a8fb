/**
 * The backup contract between databases and the jobs that dump and restore them. It is the only
 * file of databases/ that scheduled/ imports: a BackupCronJob or RestoreJob takes any
 * `IBackupable`, so a new engine (ours or a user's) gets backups without touching scheduled/.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ImageUser, WritablePath } from '../defaults/security';

/**
 * The engine-specific scripts of a backup source, each run with `/bin/sh` in the database image
 * with `connectionEnv()` (and, for dump and restore, `dumpEnv()`) in the environment.
 */
export interface BackupScripts {
  /** Writes one complete dump to the file named by `DUMP_FILE`, or fails. */
  readonly dump: string;
  /** Restores the file named by `DUMP_FILE` into the server, or fails. */
  readonly restore: string;
  /** One attempt: exits 0 when the server accepts connections now, non-zero otherwise (the job retries it). */
  readonly readinessCheck: string;
}

/**
 * What BackupCronJob and RestoreJob need to know about a database: how to connect (env with
 * Secret references, never literal passwords), which image has the matching client tools, and
 * the scripts that dump, restore and check readiness.
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
  /** The TCP port the jobs connect to. */
  readonly port: number;
  /** Labels of the server pods: the jobs' NetworkPolicy allows egress to them on `port`. */
  readonly serverSelectorLabels: { [key: string]: string };
  /** Labels the jobs' pods carry so the database's NetworkPolicy admits them. */
  readonly clientLabels: { [key: string]: string };
  /**
   * The Kubernetes namespace of the database, when its chart sets one.
   * @default - the chart has no namespace
   */
  readonly databaseNamespace?: string;
  /** Paths the client tools write (emptyDirs under a read-only root filesystem). */
  readonly writablePaths: WritablePath[];
  /** Connection env of every container that talks to the server (host, port, user, password ref). */
  connectionEnv(): { [name: string]: kplus.EnvValue };
  /** How the dump is made and read back (format, scope), shared by backup and restore. */
  dumpEnv(): { [name: string]: kplus.EnvValue };
  /** The engine's scripts. */
  scripts(): BackupScripts;
}

/**
 * Anything a backup job can dump: a database cluster (its default backup source) or a backup
 * source chosen explicitly (e.g. `new PostgresBackupSource(db, { dump: ... })`, which returns
 * itself).
 */
export interface IBackupable extends IConstruct {
  /** The backup source the jobs use. */
  backupSource(): IBackupSource;
}

/** Whether a value implements IBackupable (duck-typed: jsii objects and plain JS carry no interface at runtime). */
export function isBackupable(value: unknown): value is IBackupable {
  return typeof value === 'object' && value !== null && typeof (value as Partial<IBackupable>).backupSource === 'function';
}
