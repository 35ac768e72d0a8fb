import { Construct } from 'constructs';
import { Duration } from 'cdk8s';
import { IBackupable, IBackupSource } from '../backup-contract';
import { PropKeys } from '../../defaults/props';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { PostgresBackupSource } from './backup-source';
import { POSTGRES_SECRET_KEYS, PostgresEngine } from './postgres-engine';
import { PostgresSettings } from './settings';

export interface PostgresClusterProps extends ReplicatedDatabaseProps {
  /**
   * postgresql.conf settings, shipped in the `<name>-config` ConfigMap.
   * @default - max_connections 100, shared_buffers 25% and effective_cache_size 75% of the memory
   * limit, wal_keep_size 1GB, max_slot_wal_keep_size 25% of `storage`, hot_standby_feedback on
   */
  readonly settings?: PostgresSettings;
  /**
   * A replica is not ready (the read Service stops sending it reads) while its WAL receiver is
   * down or it has not replayed what the primary wrote more than this long ago. The primary's
   * readiness and every pod's liveness do not depend on replication.
   * @default Duration.seconds(30)
   */
  readonly maxReplicaLag?: Duration;
}

/** The props PostgresClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<PostgresClusterProps, keyof ReplicatedDatabaseProps>> = { settings: true, maxReplicaLag: true };

/**
 * A replicated PostgreSQL cluster: `<name>-0` is the primary, `<name>-1..n` stream from it.
 *
 * Secret `<name>-credentials` (or `credentialsSecret`) must hold the keys `postgres-password`
 * and `replication-password`. Clients connect to `primaryHost` (read-write) or `readHost`
 * (every pod, for reads) on `port`, from pods labelled with `clientLabels`.
 *
 * There is no automatic failover: if the primary's node fails, the StatefulSet restarts
 * `<name>-0` elsewhere (with its volume) and replicas reconnect.
 */
export class PostgresCluster extends ReplicatedDatabase implements IBackupable {
  public readonly postgres: PostgresEngine;
  /** The superuser name; its password is the Secret key `postgres-password`. */
  public readonly superuser: string;
  /** The Secret key of the superuser password. */
  public readonly superuserPasswordKey = POSTGRES_SECRET_KEYS.superuserPassword;

  constructor(scope: Construct, id: string, props: PostgresClusterProps = {}) {
    const engine = new PostgresEngine(props.settings, props.maxReplicaLag);
    super(scope, id, engine, props, Object.keys(OWN_PROPS));
    this.postgres = engine;
    this.superuser = engine.superuser;
  }

  private defaultBackupSource?: PostgresBackupSource;

  /** What BackupCronJob and RestoreJob dump and restore by default: `pg_dumpall` of every database and the roles (pass a `PostgresBackupSource` to choose the dump). */
  public backupSource(): IBackupSource {
    this.defaultBackupSource ??= new PostgresBackupSource(this);
    return this.defaultBackupSource;
  }
}
