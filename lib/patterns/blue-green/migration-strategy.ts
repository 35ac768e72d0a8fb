import { Duration } from 'cdk8s';
import { ConfigurationError } from '../../errors';
import { wholeSeconds } from '../../defaults/checks';
import { checkType, PropKeys, PropType, rejectUnknownProps } from '../../defaults/props';
import { BLUE_GREEN_DEFAULTS } from '../../defaults/blue-green';

/** How the data moves from the active color to the other one. */
export enum MigrationStrategyKind {
  /** An offline copy: dump the active color, restore into the other one. */
  DUMP_RESTORE = 'dump-restore',
  /** PostgreSQL logical replication from the active color, then a short freeze for the final catch-up. */
  LOGICAL_REPLICATION = 'logical-replication',
}

/** Options of a dump/restore migration. */
export interface DumpRestoreOptions {
  /**
   * PostgreSQL: the role the application logs in as. When set, the migrate Job freezes the active
   * color for it first (NOLOGIN, sessions terminated, write privileges on `database` revoked), so
   * no write is made after the dump; the unfreeze Job undoes it. Requires `database`.
   * @default - no freeze: stop the application's writes before starting the migration
   */
  readonly appRole?: string;
  /**
   * PostgreSQL: the database whose write privileges the freeze revokes (with `appRole`).
   * @default - none
   */
  readonly database?: string;
}

/** Options of a PostgreSQL logical-replication migration. */
export interface LogicalReplicationOptions {
  /** The application's database, e.g. `orders` (logical replication works per database). */
  readonly database: string;
  /** The role the application logs in as: the cutover freezes it on the active color. */
  readonly appRole: string;
  /**
   * The longest write pause: when catch-up, sequence sync, verification and detach have not
   * finished within it, the cutover aborts, unfreezes the active color and fails.
   * @default Duration.minutes(5)
   */
  readonly freezeTimeout?: Duration;
  /**
   * How long the replicate Job waits for the initial copy of every table.
   * @default Duration.hours(1)
   */
  readonly syncTimeout?: Duration;
}

const DUMP_RESTORE_KEYS: PropKeys<DumpRestoreOptions> = { appRole: true, database: true };
const LOGICAL_KEYS: PropKeys<LogicalReplicationOptions> = { database: true, appRole: true, freezeTimeout: true, syncTimeout: true };

/**
 * How a BlueGreenDatabase copies the active color into the other one, as suspended Jobs:
 *
 * - `dumpRestore()`: every engine; the engine's own backup dump and restore (pg_dumpall | psql,
 *   mysqldump | mysql, a Redis RDB) through an emptyDir. Writes made after the dump are lost:
 *   freeze first (PostgreSQL `appRole`) or stop the application.
 * - `logicalReplication()`: PostgreSQL; v2 follows v1 online, and the cutover freezes v1 only for
 *   the final catch-up, sequence sync and verification.
 */
export class MigrationStrategy {
  /** Dump the active color and restore the dump into the other one. */
  public static dumpRestore(options: DumpRestoreOptions = {}): MigrationStrategy {
    const where = 'MigrationStrategy.dumpRestore';
    rejectUnknownProps(where, options, DUMP_RESTORE_KEYS, 'DumpRestoreOptions');
    checkType(where, 'appRole', options.appRole, PropType.STRING);
    checkType(where, 'database', options.database, PropType.STRING);
    if (options.appRole !== undefined) checkIdentifier(where, 'appRole', options.appRole, 'orders_app');
    if (options.database !== undefined) checkIdentifier(where, 'database', options.database, 'orders');
    if ((options.appRole === undefined) !== (options.database === undefined)) {
      throw new ConfigurationError(where, options.appRole === undefined ? 'database' : 'appRole', 'needs both appRole and database for the freeze',
        options.appRole ?? options.database, 'Pass both appRole and database (the role and the database to freeze), or neither.');
    }
    return new MigrationStrategy(MigrationStrategyKind.DUMP_RESTORE, options.database, options.appRole);
  }

  /** Logical replication from the active color (PostgreSQL), with a bounded freeze for the cutover. */
  public static logicalReplication(options: LogicalReplicationOptions): MigrationStrategy {
    const where = 'MigrationStrategy.logicalReplication';
    rejectUnknownProps(where, options, LOGICAL_KEYS, 'LogicalReplicationOptions');
    if (options === undefined || options === null) throw new ConfigurationError(where, 'options', 'are required', options, "Pass { database: 'orders', appRole: 'orders_app' }.");
    checkIdentifier(where, 'database', options.database, 'orders');
    checkIdentifier(where, 'appRole', options.appRole, 'orders_app');
    checkType(where, 'freezeTimeout', options.freezeTimeout, PropType.DURATION);
    checkType(where, 'syncTimeout', options.syncTimeout, PropType.DURATION);
    const freeze = wholeSeconds(where, 'freezeTimeout', options.freezeTimeout ?? BLUE_GREEN_DEFAULTS.freezeTimeout, 1, 'Use e.g. Duration.minutes(5).');
    const sync = wholeSeconds(where, 'syncTimeout', options.syncTimeout ?? BLUE_GREEN_DEFAULTS.syncTimeout, 1, 'Use e.g. Duration.hours(1).');
    return new MigrationStrategy(MigrationStrategyKind.LOGICAL_REPLICATION, options.database, options.appRole, freeze, sync);
  }

  private constructor(
    public readonly kind: MigrationStrategyKind,
    /** The database migrated (logical replication) or frozen (dump/restore with a freeze). */
    public readonly database?: string,
    /** The application role frozen on the active color. */
    public readonly appRole?: string,
    /** Logical replication: the freeze bound in seconds. */
    public readonly freezeTimeoutSeconds?: number,
    /** Logical replication: the initial-copy bound in seconds. */
    public readonly syncTimeoutSeconds?: number,
  ) {}

  /** Whether the migration freezes the active color (then unfreeze Jobs exist for the rollback). */
  public get freezes(): boolean {
    return this.appRole !== undefined;
  }
}

/** A PostgreSQL identifier of 1-63 characters (quoted by the scripts, so any other character is fine). */
function checkIdentifier(where: string, prop: string, value: unknown, example: string): void {
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > 63 || value.includes('\0')) {
    throw new ConfigurationError(where, prop, 'must be a PostgreSQL name of 1-63 bytes', value, `Pass e.g. '${example}'.`);
  }
}
