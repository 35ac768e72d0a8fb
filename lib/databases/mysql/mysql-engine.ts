import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ImageUser, ProbeHandler, WritablePath } from '../../defaults';
import { DatabaseEngine, EngineContext, EngineInitContainer, EngineMetricsExporter, EngineProbes, EngineScript } from '../engine';
import { mysqlExporter } from './exporter';
import { engineScript } from '../scripts';
import { MySqlFlavor } from './flavor';
import { MySqlSettings, renderMySqlSettings } from './settings';

/** Secret keys MySqlCluster reads. */
export const MYSQL_SECRET_KEYS = {
  /** The root password (`MYSQL_ROOT_PASSWORD`); probes log in as root on the loopback. */
  rootPassword: 'root-password',
  /** The replication user's password. */
  replicationPassword: 'replication-password',
};

/**
 * MySQL (or MariaDB) on the official image, uid/gid 999. Ordinal 0 is the primary; replicas
 * initialize empty and replicate everything from the primary's binary log with GTID
 * auto-positioning (no copy of the data files is needed; see MySqlCluster's docs for the limit).
 */
export class MySqlEngine extends DatabaseEngine {
  public readonly appName: string;
  public readonly defaultImage: string;
  public readonly user: ImageUser = { uid: 999, gid: 999 };
  public readonly port = 3306;
  public readonly portName = 'mysql';
  public readonly containerName = 'mysql';
  public readonly dataMountPath = '/var/lib/mysql';
  public readonly configMountPath = '/etc/cdk8s-workloads/mysql';
  public readonly confDir = '/etc/mysql/conf.d';
  public readonly replicationUser = 'replicator';
  public readonly writablePaths: WritablePath[] = [
    { path: '/var/run/mysqld', volumeName: 'run' },
    // InnoDB aborts without a writable tmpdir.
    { path: '/tmp', volumeName: 'tmp' },
    // Filled by the configure init container: server-id and the role's settings.
    { path: '/etc/mysql/conf.d', volumeName: 'conf' },
  ];
  public readonly entrypointInitScript?: string = 'replication-init.sh';

  constructor(public readonly flavor: MySqlFlavor, private readonly settings: MySqlSettings = {}) {
    super();
    this.appName = flavor.family;
    this.defaultImage = flavor.image;
  }

  /** mysqld-exporter v0.18.0 on 9104, logging in on the loopback as root. */
  public metricsExporter(ctx: EngineContext): EngineMetricsExporter | undefined {
    return mysqlExporter(ctx, this.port, MYSQL_SECRET_KEYS.rootPassword);
  }

  public configFiles(scope: IConstruct, ctx: EngineContext): { [fileName: string]: string } {
    return renderMySqlSettings(scope, this.flavor, this.settings, ctx.resources.memory?.limit);
  }

  public scripts(): EngineScript[] {
    return ['configure.sh', 'replication-init.sh', 'readiness.sh', 'liveness.sh'].map((f) => engineScript(__dirname, f));
  }

  /** Where the settings come from and the role's settings go. */
  private settingsEnv(): { [name: string]: kplus.EnvValue } {
    return {
      SETTINGS_DIR: kplus.EnvValue.fromValue(this.configMountPath),
      CONF_DIR: kplus.EnvValue.fromValue(this.confDir),
    };
  }

  public serverEnv(ctx: EngineContext): { [name: string]: kplus.EnvValue } {
    const secret = (key: string) => kplus.EnvValue.fromSecretValue({ secret: ctx.credentialsSecret, key });
    return {
      ...this.settingsEnv(),
      PRIMARY_HOST: kplus.EnvValue.fromValue(ctx.primaryPodHost),
      MYSQL_PORT: kplus.EnvValue.fromValue(String(this.port)),
      MYSQL_FLAVOR: kplus.EnvValue.fromValue(this.flavor.family),
      MYSQL_CLIENT: kplus.EnvValue.fromValue(this.flavor.client),
      MYSQL_ADMIN: kplus.EnvValue.fromValue(this.flavor.admin),
      MYSQL_ROOT_PASSWORD: secret(MYSQL_SECRET_KEYS.rootPassword),
      REPLICATION_USER: kplus.EnvValue.fromValue(this.replicationUser),
      REPLICATION_PASSWORD: secret(MYSQL_SECRET_KEYS.replicationPassword),
    };
  }

  public initContainers(_ctx: EngineContext): EngineInitContainer[] {
    return [{
      name: 'configure',
      command: this.runScript('configure.sh'),
      env: { ...this.settingsEnv(), DATADIR: kplus.EnvValue.fromValue(this.dataMountPath) },
    }];
  }

  public probeHandlers(): EngineProbes {
    return {
      readiness: ProbeHandler.exec(this.runScript('readiness.sh')),
      liveness: ProbeHandler.exec(this.runScript('liveness.sh')),
    };
  }
}
