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
   * The role (PostgreSQL) or user (MySQL / MariaDB) the application logs in as. When set, the
   * migrate Job freezes the active color for it first, so no write is made after the dump, and
   * the unfreeze Jobs undo it. PostgreSQL: NOLOGIN, sessions terminated, write privileges on
   * `database` revoked (requires `database`). MySQL / MariaDB: every account of the user locked,
   * its sessions killed, `super_read_only` (MySQL) or `read_only` (MariaDB: accounts with
   * READ_ONLY ADMIN, e.g. root, still write) on. A failed dump or restore unfreezes the source.
   * @default - no freeze: stop the application's writes before starting the migration
   */
  readonly appRole?: string;
  /**
   * PostgreSQL: the database whose write privileges the freeze revokes (with `appRole`). Not for
   * MySQL / MariaDB, whose freeze is server-wide.
   * @default - none
   */
  readonly database?: string;
  /**
   * With `appRole`: the longest write pause from the freeze to the end of the restore; past it
   * the dump or restore is killed, the source unfrozen and the Job fails.
   * @default - no bound (a failed step still unfreezes the source)
   */
  readonly freezeTimeout?: Duration;
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
  /**
   * Reverse replication for the rollback: at the end of the cutover (after verification, while
   * no write reaches the new color yet) publish every table on the new color and subscribe the
   * old one to it (`copy_data = false`). Writes made on the new color after the flip then reach
   * the old one, and rolling back is the reverse cutover Job (`<to>-to-<from>-cutover`, after
   * flipping `active`), which keeps them. The new color needs `settings.logicalReplication: true`;
   * its slot holds WAL while the old color is down: drop the reverse subscription once you no
   * longer need the rollback.
   * @default false - a rollback loses the writes made on the new color
   */
  readonly reverseReplication?: boolean;
}

const DUMP_RESTORE_KEYS: PropKeys<DumpRestoreOptions> = { appRole: true, database: true, freezeTimeout: true };
const LOGICAL_KEYS: PropKeys<LogicalReplicationOptions> = { database: true, appRole: true, freezeTimeout: true, syncTimeout: true, reverseReplication: true };

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
    checkType(where, 'freezeTimeout', options.freezeTimeout, PropType.DURATION);
    for (const prop of ['database', 'freezeTimeout'] as const) {
      if (options[prop] !== undefined && options.appRole === undefined) {
        throw new ConfigurationError(where, prop, 'only applies to a freeze, which needs appRole', prop === 'database' ? options.database : options.freezeTimeout!.toHumanString(),
          "Pass appRole (the application's role or user) too, or leave it out.");
      }
    }
    const freeze = options.freezeTimeout === undefined ? undefined : wholeSeconds(where, 'freezeTimeout', options.freezeTimeout, 1, 'Use e.g. Duration.minutes(30).');
    return new MigrationStrategy(MigrationStrategyKind.DUMP_RESTORE, options.database, options.appRole, freeze);
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
    checkType(where, 'reverseReplication', options.reverseReplication, PropType.BOOLEAN);
    const freeze = wholeSeconds(where, 'freezeTimeout', options.freezeTimeout ?? BLUE_GREEN_DEFAULTS.freezeTimeout, 1, 'Use e.g. Duration.minutes(5).');
    const sync = wholeSeconds(where, 'syncTimeout', options.syncTimeout ?? BLUE_GREEN_DEFAULTS.syncTimeout, 1, 'Use e.g. Duration.hours(1).');
    return new MigrationStrategy(MigrationStrategyKind.LOGICAL_REPLICATION, options.database, options.appRole, freeze, sync, options.reverseReplication ?? false);
  }

  private constructor(
    public readonly kind: MigrationStrategyKind,
    /** The database migrated (logical replication) or frozen (dump/restore with a freeze). */
    public readonly database?: string,
    /** The application role frozen on the active color. */
    public readonly appRole?: string,
    /** The freeze bound in seconds (dump/restore: undefined when unbounded). */
    public readonly freezeTimeoutSeconds?: number,
    /** Logical replication: the initial-copy bound in seconds. */
    public readonly syncTimeoutSeconds?: number,
    /** Logical replication: the cutover sets up replication from the new color back to the old one. */
    public readonly reverseReplication: boolean = false,
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
