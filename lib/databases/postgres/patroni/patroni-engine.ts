import * as kplus from 'cdk8s-plus-27';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, selectorLabels } from '../../../defaults';
import { EngineContext, EngineInitContainer, EngineProbes, EngineScript } from '../../engine';
import { engineScript } from '../../scripts';
import { PostgresEngine } from '../postgres-engine';
import { PostgresSettings, postgresSettingValues } from '../settings';
import { HighAvailability } from './high-availability';
import { DatabaseTopology } from '../../topology';
import { PATRONI_API_PORT, patroniTopology, renderPatroniConfig } from './patroni-config';

/** Where the cluster's Secret is mounted in a Patroni member (read by patroni-start.sh). */
export const PATRONI_CREDENTIALS_DIR = '/etc/patroni-credentials';
/** The Secret key of the pg_rewind role's password (Patroni creates the role at bootstrap). */
export const PATRONI_REWIND_PASSWORD_KEY = 'rewind-password';

/** Patroni's scope for a cluster: `<name>-patroni` (`<name>-config` is the settings ConfigMap). */
export const patroniScope = (name: string) => `${name}-patroni`;

/**
 * PostgreSQL managed by Patroni: the same data layout, users and settings as PostgresEngine,
 * but Patroni starts PostgreSQL, bootstraps the first member (initdb), clones the others
 * (pg_basebackup), and elects the leader through the Kubernetes API. There is no init container
 * and no entrypoint script: a member's role is not its ordinal.
 */
export class PatroniEngine extends PostgresEngine {
  public readonly defaultImage: string;
  public readonly user: ImageUser;
  public readonly configMountPath: string = '/etc/patroni';
  public readonly entrypointInitScript?: string = undefined;
  /** The role pg_rewind connects as, when a former leader rejoins. */
  public readonly rewindUser = 'rewinder';
  /** Patroni elects the leader and labels it: `<name>-primary` follows `role=master`, `<name>-replicas` selects `role=replica`. */
  public readonly topology: DatabaseTopology = patroniTopology();

  constructor(public readonly highAvailability: HighAvailability, settings: PostgresSettings = {}, maxReplicaLag?: Duration) {
    super(settings, maxReplicaLag);
    this.defaultImage = highAvailability.image.image;
    this.user = { uid: highAvailability.image.uid, gid: highAvailability.image.gid };
  }

  public configFiles(scope: IConstruct, ctx: EngineContext): { [fileName: string]: string } {
    const name = scope.node.id;
    return {
      'patroni.yml': renderPatroniConfig({
        name,
        scope: patroniScope(name),
        labels: selectorLabels({ name: this.appName, instance: name, component: 'database' }),
        ha: this.highAvailability,
        settings: postgresSettingValues(scope, this.settings, { memoryLimit: ctx.resources.memory?.limit, storage: ctx.storage }),
        pgdata: this.pgdata,
        binDir: this.highAvailability.image.postgresBinDir,
        socketDir: '/var/run/postgresql',
        port: this.port,
        superuser: this.superuser,
        replicationUser: this.replicationUser,
        rewindUser: this.rewindUser,
      }),
    };
  }

  public scripts(): EngineScript[] {
    return [engineScript(__dirname, 'patroni-start.sh')];
  }

  public serverEnv(_ctx: EngineContext): { [name: string]: kplus.EnvValue } {
    const value = kplus.EnvValue.fromValue;
    return {
      // Declared first: the addresses below refer to it.
      POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
      PGDATA: value(this.pgdata),
      PATRONI_CONFIG: value(`${this.configMountPath}/patroni.yml`),
      CREDENTIALS_DIR: value(PATRONI_CREDENTIALS_DIR),
      PATRONI_NAME: value('$(POD_NAME)'),
      PATRONI_KUBERNETES_NAMESPACE: value('$(POD_NAMESPACE)'),
      PATRONI_KUBERNETES_POD_IP: value('$(POD_IP)'),
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: value(`$(POD_IP):${this.port}`),
      PATRONI_RESTAPI_CONNECT_ADDRESS: value(`$(POD_IP):${PATRONI_API_PORT}`),
      // psql and patronictl in `kubectl exec` reach the local server over the socket.
      PGHOST: value('/var/run/postgresql'),
      PGUSER: value(this.superuser),
    };
  }

  public initContainers(_ctx: EngineContext): EngineInitContainer[] {
    return [];
  }

  public probeHandlers(): EngineProbes {
    return {
      // 200 on the leader, and on a replica whose PostgreSQL runs; otherwise 503.
      readiness: ProbeHandler.http('/readiness', PATRONI_API_PORT),
      // 200 while Patroni's loop runs (a hung Patroni is restarted; PostgreSQL being down is Patroni's job).
      liveness: ProbeHandler.http('/liveness', PATRONI_API_PORT),
    };
  }

  /** None: on SIGTERM Patroni stops PostgreSQL itself and releases the leader key (a pg_ctl stop would race it). */
  public gracefulStopCommand(_seconds: number): string[] | undefined {
    return undefined;
  }

  public serverCommand(): string[] {
    return this.runScript('patroni-start.sh');
  }
}
