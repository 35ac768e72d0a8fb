import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { PostgresSettings, renderPostgresSettings } from './settings';
import { ImageUser, ProbeHandler, WritablePath } from '../../defaults';
import { engineScript } from '../scripts';
import { DatabaseEngine, EngineContext, EngineInitContainer, EngineProbes, EngineScript } from '../engine';

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
 * replication from ordinal 0. PGDATA is a subdirectory of the volume (initdb and pg_basebackup
 * refuse a mount point with lost+found); /var/run/postgresql, /tmp and /dev/shm are emptyDirs.
 */
export class PostgresEngine extends DatabaseEngine {
  public readonly appName: string = 'postgresql';
  public readonly defaultImage = 'postgres:16.4';
  public readonly user: ImageUser = { uid: 999, gid: 999 };
  public readonly port = 5432;
  public readonly portName = 'postgresql';
  public readonly containerName = 'postgres';
  public readonly dataMountPath = '/var/lib/postgresql/data';
  public readonly pgdata = '/var/lib/postgresql/data/pgdata';
  public readonly configMountPath = '/etc/postgresql/conf.d';
  public readonly replicationUser = 'replicator';
  public readonly superuser = 'postgres';
  public readonly writablePaths: WritablePath[] = [
    { path: '/var/run/postgresql', volumeName: 'run' },
    { path: '/tmp', volumeName: 'tmp' },
    { path: '/dev/shm', volumeName: 'shm', inMemory: true },
  ];
  public readonly entrypointInitScript?: string = 'primary-init.sh';

  constructor(private readonly settings: PostgresSettings = {}) {
    super();
  }

  public configFiles(scope: IConstruct, _ctx: EngineContext): { [fileName: string]: string } {
    return { '10-cdk8s-workloads.conf': renderPostgresSettings(scope, this.settings) };
  }

  public scripts(): EngineScript[] {
    return [script('primary-init.sh'), script('bootstrap-replica.sh'), script('liveness.sh')];
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
      readiness: ProbeHandler.exec(['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(this.port)]),
      liveness: ProbeHandler.exec(this.runScript('liveness.sh')),
    };
  }

  public gracefulStopCommand(seconds: number): string[] {
    // Fast shutdown: disconnect clients, checkpoint, exit. The default (smart) waits for clients.
    return ['pg_ctl', 'stop', '-D', this.pgdata, '-m', 'fast', '-w', '-t', String(seconds)];
  }
}
