import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { postgresShmSize, PostgresSettings, renderPostgresSettings } from './settings';
import { ImageUser, ProbeHandler, WritablePath } from '../../defaults';
import { engineScript } from '../scripts';
import { DatabaseEngine, EngineContext, EngineInitContainer, EngineMetricsExporter, EngineProbes, EngineScript } from '../engine';
import { postgresExporter } from './exporter';

/** Secret keys PostgresCluster reads. */
export const POSTGRES_SECRET_KEYS = {
  /** The superuser (`postgres`) password, used by the image to initialize the primary. */
  superuserPassword: 'postgres-password',
  /** The replication role's password. */
  replicationPassword: 'replication-password',
};

const script = (fileName: string): EngineScript => engineScript(__dirname, fileName);

/**
 * PostgreSQL on the official `postgres` image (Debian variant, uid/gid 999), streaming
 * replication from ordinal 0, each replica through its own physical replication slot (named
 * after the pod, created when the replica is cloned). PGDATA is a subdirectory of the volume
 * (initdb and pg_basebackup refuse a mount point with lost+found); /var/run/postgresql, /tmp and
 * /dev/shm are emptyDirs (/dev/shm memory-backed, sized from the memory limit).
 */
export class PostgresEngine extends DatabaseEngine {
  public readonly appName: string = 'postgresql';
  public readonly defaultImage: string = 'postgres:16.4';
  public readonly user: ImageUser = { uid: 999, gid: 999 };
  public readonly port = 5432;
  public readonly portName = 'postgresql';
  public readonly containerName = 'postgres';
  public readonly dataMountPath = '/var/lib/postgresql/data';
  public readonly pgdata = '/var/lib/postgresql/data/pgdata';
  public readonly configMountPath: string = '/etc/postgresql/conf.d';
  public readonly replicationUser = 'replicator';
  public readonly superuser = 'postgres';
  public readonly writablePaths: WritablePath[] = [
    { path: '/var/run/postgresql', volumeName: 'run' },
    { path: '/tmp', volumeName: 'tmp' },
    { path: '/dev/shm', volumeName: 'shm', inMemory: true },
  ];
  public readonly entrypointInitScript?: string = 'primary-init.sh';

  /** A replica is not ready while its replay lags the primary by more than this. */
  public readonly maxReplicaLag: Duration;

  /**
   * @param settings postgresql.conf settings
   * @param maxReplicaLag a replica whose replay lags further behind is not ready
   */
  constructor(protected readonly settings: PostgresSettings = {}, maxReplicaLag: Duration = Duration.seconds(30)) {
    super();
    this.maxReplicaLag = maxReplicaLag;
  }

  /** postgres-exporter v0.15.0 on 9187, logging in on the loopback as the superuser. */
  public metricsExporter(ctx: EngineContext): EngineMetricsExporter | undefined {
    return postgresExporter(ctx, this.port, this.superuser, POSTGRES_SECRET_KEYS.superuserPassword);
  }

  public configFiles(scope: IConstruct, ctx: EngineContext): { [fileName: string]: string } {
    const seconds = this.maxReplicaLag.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new ConfigurationError(scope, 'maxReplicaLag', 'must be a whole number of seconds >= 1', `${this.maxReplicaLag.toMilliseconds()}ms`, 'Use e.g. Duration.seconds(30).');
    }
    return { '10-cdk8s-workloads.conf': renderPostgresSettings(scope, this.settings, { memoryLimit: ctx.resources.memory?.limit, storage: ctx.storage }) };
  }

  public writablePathsFor(ctx: EngineContext): WritablePath[] {
    return this.writablePaths.map((p) => (p.inMemory ? { ...p, sizeLimit: postgresShmSize(ctx.resources.memory?.limit) } : p));
  }

  public scripts(): EngineScript[] {
    return ['primary-init.sh', 'bootstrap-replica.sh', 'readiness.sh', 'liveness.sh'].map(script);
  }

  private secretEnv(ctx: EngineContext, key: string): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key });
  }

  public serverEnv(ctx: EngineContext): { [name: string]: kplus.EnvValue } {
    return {
      PGDATA: kplus.EnvValue.fromValue(this.pgdata),
      PGPORT: kplus.EnvValue.fromValue(String(this.port)),
      POSTGRES_USER: kplus.EnvValue.fromValue(this.superuser),
      POSTGRES_PASSWORD: this.secretEnv(ctx, POSTGRES_SECRET_KEYS.superuserPassword),
      REPLICATION_USER: kplus.EnvValue.fromValue(this.replicationUser),
      REPLICATION_PASSWORD: this.secretEnv(ctx, POSTGRES_SECRET_KEYS.replicationPassword),
      // A replica's walreceiver connects with libpq, which reads PGPASSWORD from the server's
      // environment: primary_conninfo on disk then carries no password.
      PGPASSWORD: this.secretEnv(ctx, POSTGRES_SECRET_KEYS.replicationPassword),
      SETTINGS_DIR: kplus.EnvValue.fromValue(this.configMountPath),
      MAX_REPLICA_LAG_SECONDS: kplus.EnvValue.fromValue(String(this.maxReplicaLag.toSeconds())),
    };
  }

  public initContainers(ctx: EngineContext): EngineInitContainer[] {
    return [{
      name: 'bootstrap-replica',
      command: this.runScript('bootstrap-replica.sh'),
      env: {
        PRIMARY_HOST: kplus.EnvValue.fromValue(ctx.primaryPodHost),
        PGPORT: kplus.EnvValue.fromValue(String(this.port)),
        PGDATA: kplus.EnvValue.fromValue(this.pgdata),
        REPLICATION_USER: kplus.EnvValue.fromValue(this.replicationUser),
        REPLICATION_PASSWORD: this.secretEnv(ctx, POSTGRES_SECRET_KEYS.replicationPassword),
      },
    }];
  }

  public probeHandlers(): EngineProbes {
    return {
      // Accepting connections; on a replica also streaming and caught up (see readiness.sh).
      readiness: ProbeHandler.exec(this.runScript('readiness.sh')),
      liveness: ProbeHandler.exec(this.runScript('liveness.sh')),
    };
  }

  public gracefulStopCommand(seconds: number): string[] | undefined {
    // Fast shutdown: disconnect clients, checkpoint, exit. The default (smart) waits for clients.
    return ['pg_ctl', 'stop', '-D', this.pgdata, '-m', 'fast', '-w', '-t', String(seconds)];
  }
}
