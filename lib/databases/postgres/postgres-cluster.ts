import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Duration, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { ProbeHandler, PROBE_TIMINGS, presetResources, productionContainer, ResourcePreset, scrapeAnnotations } from '../../defaults';
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
  /**
   * Adds a postgres-exporter sidecar on port 9187 with Prometheus scrape annotations.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * The exporter image.
   * @default 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0'
   */
  readonly metricsImage?: string;
}

const METRICS_PORT = 9187;

/** The props PostgresClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<PostgresClusterProps, keyof ReplicatedDatabaseProps>> = { settings: true, metrics: true, metricsImage: true, maxReplicaLag: true };

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
  /** The metrics sidecar, when enabled. */
  public readonly metricsContainer?: kplus.Container;

  constructor(scope: Construct, id: string, props: PostgresClusterProps = {}) {
    const engine = new PostgresEngine(props.settings, props.maxReplicaLag);
    super(scope, id, engine, props, Object.keys(OWN_PROPS));
    this.postgres = engine;
    this.superuser = engine.superuser;
    if (props.metrics) this.metricsContainer = this.addMetrics(props.metricsImage ?? 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0');
  }

  private addMetrics(image: string): kplus.Container {
    const probe = ProbeHandler.http('/metrics', METRICS_PORT);
    const container = this.statefulSet.addContainer(productionContainer(this, 'metrics', {
      name: 'metrics',
      image,
      user: { uid: 65534, gid: 65534 },
      resources: presetResources(ResourcePreset.NANO),
      ports: [{ name: 'metrics', number: METRICS_PORT }],
      envVariables: {
        DATA_SOURCE_URI: kplus.EnvValue.fromValue(`127.0.0.1:${this.port}/postgres?sslmode=disable`),
        DATA_SOURCE_USER: kplus.EnvValue.fromValue(this.superuser),
        DATA_SOURCE_PASS: kplus.EnvValue.fromSecretValue({ secret: this.credentialsSecret, key: this.superuserPasswordKey }),
      },
      readiness: probe.toProbe(PROBE_TIMINGS.service.readiness),
      liveness: probe.toProbe(PROBE_TIMINGS.service.liveness),
    }));
    for (const [key, value] of Object.entries(scrapeAnnotations(METRICS_PORT, '/metrics'))) this.statefulSet.podMetadata.addAnnotation(key, value);
    // Prometheus runs elsewhere: the scrape port is open to any pod; the database port is not.
    this.networkPolicy.addJsonPatch(JsonPatch.add('/spec/ingress/-', { ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(METRICS_PORT) }] }));
    return container;
  }

  private defaultBackupSource?: PostgresBackupSource;

  /** What BackupCronJob and RestoreJob dump and restore by default: `pg_dumpall` of every database and the roles (pass a `PostgresBackupSource` to choose the dump). */
  public backupSource(): IBackupSource {
    this.defaultBackupSource ??= new PostgresBackupSource(this);
    return this.defaultBackupSource;
  }
}
