import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';

/** postgresql.conf settings, typed where a mistake is common; anything else in `parameters`. */
export interface PostgresSettings {
  /** @default 100 */
  readonly maxConnections?: number;
  /**
   * Shared memory for caching. Must be below the server container's memory limit.
   * @default - 25% of the memory limit (256MB when the container has no memory limit)
   */
  readonly sharedBuffers?: Size;
  /**
   * The planner's estimate of the memory available for caching data (shared_buffers plus the
   * page cache, which the container's memory limit also bounds). Must be below the memory limit.
   * @default - 75% of the memory limit (PostgreSQL's own 4GB when the container has no memory limit)
   */
  readonly effectiveCacheSize?: Size;
  /**
   * WAL kept for replicas regardless of replication slots.
   * @default Size.gibibytes(1)
   */
  readonly walKeepSize?: Size;
  /**
   * The most WAL the primary keeps for a replica's replication slot (`max_slot_wal_keep_size`).
   * A replica further behind (stopped, or removed by a scale-down) has its slot invalidated, so
   * it cannot fill the primary's volume; such a replica re-clones itself when it starts. Must be
   * below the volume size (`storage`).
   * @default - 25% of `storage`
   */
  readonly maxSlotWalKeepSize?: Size;
  /**
   * `wal_level = logical`, so this server can be the source of a logical-replication migration
   * (BlueGreenDatabase with MigrationStrategy.logicalReplication). Changing it restarts nothing
   * by itself: the server reads it at start.
   * @default false
   */
  readonly logicalReplication?: boolean;
  /**
   * Any other parameter, e.g. `{ log_min_duration_statement: '500ms' }`.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
}

/** What the settings are derived from: the server container's memory limit and the volume size. */
export interface PostgresSizing {
  readonly memoryLimit?: Size;
  readonly storage: Size;
}

const PARAMETER_NAME = /^[a-z_][a-z0-9_.]*$/;
/** Set by the construct: changing them breaks replication or connectivity. */
const RESERVED = ['listen_addresses', 'port', 'wal_level', 'hot_standby', 'data_directory', 'hba_file', 'primary_conninfo', 'primary_slot_name'];
/** Parameters with a typed setting that is validated: `parameters` must not bypass the check. */
const TYPED: Record<string, string> = {
  shared_buffers: 'sharedBuffers',
  effective_cache_size: 'effectiveCacheSize',
  max_slot_wal_keep_size: 'maxSlotWalKeepSize',
};

const fraction = (size: Size, share: number) => Size.mebibytes(Math.floor(size.toMebibytes() * share));

/**
 * The size of the memory-backed `/dev/shm`: PostgreSQL puts its dynamic shared memory there
 * (parallel query workers exchange tuples through it). A tmpfs counts against the container's
 * memory limit, so it is bounded to 25% of it (the same as the default shared_buffers), and at
 * least the 64Mi container runtimes give by default.
 */
export function postgresShmSize(memoryLimit: Size | undefined): Size {
  const floor = Size.mebibytes(64);
  if (!memoryLimit) return floor;
  const quarter = fraction(memoryLimit, 0.25);
  return quarter.toMebibytes() > floor.toMebibytes() ? quarter : floor;
}

function belowMemoryLimit(scope: IConstruct, prop: string, value: Size, limit: Size | undefined, advice: string): void {
  if (limit && value.toMebibytes() >= limit.toMebibytes()) {
    throw new ConfigurationError(scope, prop, `must be below the memory limit (${limit.toMebibytes()}Mi)`, `${value.toMebibytes()}Mi`, advice);
  }
}

/** The memory and WAL settings, derived from the sizing unless given, and validated. */
function sizedValues(scope: IConstruct, settings: PostgresSettings, sizing: PostgresSizing): Record<string, string> {
  const limit = sizing.memoryLimit;
  const sharedBuffers = settings.sharedBuffers ?? (limit ? fraction(limit, 0.25) : Size.mebibytes(256));
  belowMemoryLimit(scope, 'settings.sharedBuffers', sharedBuffers, limit,
    `Use about 25% of the limit (${limit ? fraction(limit, 0.25).toMebibytes() : 0}Mi), or leave it unset; connections and the page cache need the rest.`);
  const effectiveCacheSize = settings.effectiveCacheSize ?? (limit ? fraction(limit, 0.75) : undefined);
  if (effectiveCacheSize) {
    belowMemoryLimit(scope, 'settings.effectiveCacheSize', effectiveCacheSize, limit,
      `Use about 75% of the limit (${limit ? fraction(limit, 0.75).toMebibytes() : 0}Mi), or leave it unset; the page cache is bounded by the container's limit.`);
  }
  const maxSlotWalKeepSize = settings.maxSlotWalKeepSize ?? fraction(sizing.storage, 0.25);
  if (maxSlotWalKeepSize.toMebibytes() >= sizing.storage.toMebibytes()) {
    throw new ConfigurationError(scope, 'settings.maxSlotWalKeepSize', `must be below the volume size (storage, ${sizing.storage.toMebibytes()}Mi)`,
      `${maxSlotWalKeepSize.toMebibytes()}Mi`, `Use at most a fraction of it, e.g. ${fraction(sizing.storage, 0.25).toMebibytes()}Mi (the default); the data needs the rest.`);
  }
  return {
    shared_buffers: `'${sharedBuffers.toMebibytes()}MB'`,
    ...(effectiveCacheSize ? { effective_cache_size: `'${effectiveCacheSize.toMebibytes()}MB'` } : {}),
    wal_keep_size: `'${(settings.walKeepSize ?? Size.gibibytes(1)).toMebibytes()}MB'`,
    // A replica's slot keeps its WAL on the primary, up to this bound; beyond it the slot is invalidated.
    max_slot_wal_keep_size: `'${maxSlotWalKeepSize.toMebibytes()}MB'`,
  };
}

/** The settings file included by every server of the cluster. */
export function renderPostgresSettings(scope: IConstruct, settings: PostgresSettings, sizing: PostgresSizing): string {
  const lines = Object.entries(postgresSettingValues(scope, settings, sizing)).map(([name, value]) => `${name} = ${value}`);
  return ['# Generated by cdk8s-workloads from PostgresCluster settings; included via include_dir.', ...lines, ''].join('\n');
}

/** The validated settings as postgresql.conf values (strings quoted), in file order. */
export function postgresSettingValues(scope: IConstruct, settings: PostgresSettings, sizing: PostgresSizing): Record<string, string> {
  const maxConnections = settings.maxConnections ?? 100;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new ConfigurationError(scope, 'settings.maxConnections', 'must be an integer >= 1', maxConnections, 'Use e.g. 100.');
  }
  const values: Record<string, string> = {
    listen_addresses: "'*'",
    max_connections: String(maxConnections),
    wal_level: settings.logicalReplication ? 'logical' : 'replica',
    max_wal_senders: '10',
    ...sizedValues(scope, settings, sizing),
    hot_standby: 'on',
    // Replicas tell the primary which rows their queries still read, so vacuum does not remove
    // them and long read queries on replicas are not cancelled.
    hot_standby_feedback: 'on',
  };
  for (const [name, value] of Object.entries(settings.parameters ?? {})) {
    if (!PARAMETER_NAME.test(name)) throw new ConfigurationError(scope, 'settings.parameters', 'has an invalid parameter name', name, 'Use a postgresql.conf name such as "work_mem".');
    if (RESERVED.includes(name)) throw new ConfigurationError(scope, `settings.parameters.${name}`, 'is managed by the construct', value, 'Remove it; replication and connectivity depend on it.');
    if (TYPED[name]) throw new ConfigurationError(scope, `settings.parameters.${name}`, 'has a typed setting', value, `Use settings.${TYPED[name]}, which is checked against the memory limit or the volume size.`);
    values[name] = `'${value.replace(/'/g, "''")}'`;
  }
  return values;
}
