import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Chart, Duration } from 'cdk8s';
import { labelAllObjects, recommendedLabels } from '../../defaults';
import { ConfigurationError } from '../../errors';
import { checkUniqueNames } from '../../defaults/unique-names';
import { IBackupable, IBackupSource } from '../backup-contract';
import { PropKeys } from '../../defaults/props';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { PostgresBackupSource } from './backup-source';
import { POSTGRES_SECRET_KEYS, PostgresEngine } from './postgres-engine';
import { PostgresSettings } from './settings';
import { HighAvailability } from './patroni/high-availability';
import { PatroniEngine } from './patroni/patroni-engine';
import { PatroniResources } from './patroni/patroni-resources';

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
  /**
   * Automatic failover: `HighAvailability.patroni()` runs every member under Patroni, which
   * elects the leader through the Kubernetes API (ConfigMaps); `<name>-primary` then selects
   * the leader pod, wherever it runs, and `<name>-replicas` the replicas. The Secret also needs
   * the key `rewind-password`. Set the image with the option's `image`, not `image`; pods start
   * in parallel unless `podManagementPolicy` says otherwise.
   * @default - no failover: pod 0 is the primary
   */
  readonly highAvailability?: HighAvailability;
}

/** The props PostgresClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<PostgresClusterProps, keyof ReplicatedDatabaseProps>> = { settings: true, maxReplicaLag: true, highAvailability: true };

/**
 * A replicated PostgreSQL cluster: `<name>-0` is the primary, `<name>-1..n` stream from it.
 *
 * Secret `<name>-credentials` (or `credentialsSecret`) must hold the keys `postgres-password`
 * and `replication-password`. Clients connect to `primaryHost` (read-write) or `readHost`
 * (every pod, for reads) on `port`, from pods labelled with `clientLabels`.
 *
 * Without `highAvailability` there is no automatic failover: if the primary's node fails, the
 * StatefulSet restarts `<name>-0` elsewhere (with its volume) and replicas reconnect. With
 * `HighAvailability.patroni()`, Patroni elects the primary and fails over (see README).
 */
export class PostgresCluster extends ReplicatedDatabase implements IBackupable {
  public readonly postgres: PostgresEngine;
  /** The superuser name; its password is the Secret key `postgres-password`. */
  public readonly superuser: string;
  /** The Secret key of the superuser password. */
  public readonly superuserPasswordKey = POSTGRES_SECRET_KEYS.superuserPassword;
  /** Patroni's ServiceAccount, Role, RoleBinding and replicas Service, with `highAvailability`. */
  public readonly patroni?: PatroniResources;

  constructor(scope: Construct, id: string, props: PostgresClusterProps = {}) {
    const ha = checkHighAvailability(scope, id, props);
    const engine = ha ? new PatroniEngine(ha, props.settings) : new PostgresEngine(props.settings, props.maxReplicaLag);
    // Patroni's initialize lock lets exactly one member run initdb, so members need not wait
    // for each other; OrderedReady would keep a replaced pod 2 waiting for an unready pod 0.
    // The grace period outlasts the ttl: a leader shutting down hands over before SIGKILL.
    const baseProps = ha ? {
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      terminationGracePeriod: Duration.seconds(Math.max(60, ha.ttlSeconds + ha.loopWaitSeconds)),
      ...props,
    } : props;
    super(scope, id, engine, baseProps, Object.keys(OWN_PROPS));
    this.postgres = engine;
    this.superuser = engine.superuser;
    if (ha) {
      this.patroni = new PatroniResources(this, 'patroni', this, ha, Chart.of(this).namespace!);
      // The base labelled what existed when it finished; label Patroni's objects the same way.
      labelAllObjects(this.patroni, recommendedLabels({ name: engine.appName, instance: this.name, component: 'database', partOf: props.partOf }));
      checkUniqueNames(this);
    }
  }

  private defaultBackupSource?: PostgresBackupSource;

  /** What BackupCronJob and RestoreJob dump and restore by default: `pg_dumpall` of every database and the roles (pass a `PostgresBackupSource` to choose the dump). */
  public backupSource(): IBackupSource {
    this.defaultBackupSource ??= new PostgresBackupSource(this);
    return this.defaultBackupSource;
  }
}

/** The HA value object, checked against the props it conflicts with (before the base runs). */
function checkHighAvailability(scope: Construct, id: string, props: PostgresClusterProps): HighAvailability | undefined {
  const ha = props.highAvailability;
  if (ha === undefined) return undefined;
  const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
  if (!(ha instanceof HighAvailability)) {
    throw new ConfigurationError(where, 'highAvailability', 'must be a HighAvailability', ha, 'Use HighAvailability.patroni({ ... }).');
  }
  if (props.image !== undefined) {
    throw new ConfigurationError(where, 'image', 'is not used with highAvailability (the Patroni configuration depends on the image\'s user and paths)', props.image,
      'Pass HighAvailability.patroni({ image: PatroniImage.custom({ image, uid, gid }) }) instead.');
  }
  if (props.maxReplicaLag !== undefined) {
    throw new ConfigurationError(where, 'maxReplicaLag', 'is not used with highAvailability (readiness is Patroni\'s /readiness)', `${props.maxReplicaLag.toSeconds()}s`,
      'Remove it; HighAvailability.patroni({ maximumLagOnFailover }) bounds how far behind a failover candidate may be.');
  }
  if (!Chart.of(scope).namespace) {
    throw new ConfigurationError(where, 'highAvailability', 'needs the chart\'s namespace: the RoleBinding must name the namespace of Patroni\'s ServiceAccount', undefined,
      'Create the chart with a namespace: new Chart(app, \'db\', { namespace: \'shop\' }).');
  }
  const grace = props.terminationGracePeriod?.toSeconds({ integral: false });
  if (grace !== undefined && grace <= ha.ttlSeconds) {
    throw new ConfigurationError(where, 'terminationGracePeriod', `must be longer than the Patroni ttl (${ha.ttlSeconds}s), so a leader that shuts down can hand over before it is killed`, `${grace}s`,
      `Use at least Duration.seconds(${ha.ttlSeconds + ha.loopWaitSeconds}), or leave it unset (60s).`);
  }
  return ha;
}
