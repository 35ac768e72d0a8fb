import { Construct } from 'constructs';
import { ConfigurationError } from '../../errors';
import { IBackupable, IBackupSource } from '../backup-contract';
import { PropKeys } from '../../defaults/props';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { MySqlBackupSource } from './backup-source';
import { MySqlFlavor } from './flavor';
import { MYSQL_SECRET_KEYS, MySqlEngine } from './mysql-engine';
import { MySqlSettings } from './settings';

export interface MySqlClusterProps extends ReplicatedDatabaseProps {
  /**
   * The server line: MySQL 8.4 LTS, MySQL 8.0 (end of life) or MariaDB 10.11.
   * `image` overrides the flavor's image tag.
   * @default MySqlFlavor.mysql84()
   */
  readonly flavor?: MySqlFlavor;
  /**
   * my.cnf settings, shipped in the `<name>-config` ConfigMap.
   * @default - max_connections 151, innodb_buffer_pool_size 50% of the memory limit, binary logs kept 30 days
   */
  readonly settings?: MySqlSettings;
}

/** The props MySqlClusterProps adds; the compiler keeps the list complete. */
const OWN_PROPS: PropKeys<Omit<MySqlClusterProps, keyof ReplicatedDatabaseProps>> = { flavor: true, settings: true };

/**
 * A replicated MySQL cluster: `<name>-0` is the primary (binary log, GTID), `<name>-1..n` are
 * read-only replicas.
 *
 * Replication bootstrap: a new replica initializes an empty data directory (the image's
 * entrypoint) and then replicates with GTID auto-positioning from the primary's binary log.
 * That needs every binary log since the primary was created: if older logs were purged
 * (`binlogExpireSeconds`, default 30 days), seed a new replica from a backup instead.
 *
 * Secret `<name>-credentials` (or `credentialsSecret`) must hold `root-password` and
 * `replication-password`.
 */
export class MySqlCluster extends ReplicatedDatabase implements IBackupable {
  public readonly mysql: MySqlEngine;
  /** The Secret key of the root password. */
  public readonly rootPasswordKey = MYSQL_SECRET_KEYS.rootPassword;

  constructor(scope: Construct, id: string, props: MySqlClusterProps = {}) {
    const flavor = props.flavor ?? MySqlFlavor.mysql84();
    checkImageFamily(`${scope.node.path ? `${scope.node.path}/` : ''}${id}`, flavor, props.image ?? flavor.image, props.image !== undefined ? 'image' : 'flavor');
    const engine = new MySqlEngine(flavor, props.settings);
    super(scope, id, engine, props, Object.keys(OWN_PROPS));
    this.mysql = engine;
  }

  private defaultBackupSource?: MySqlBackupSource;

  /** What BackupCronJob and RestoreJob dump and restore by default: every user database in one consistent snapshot (pass a `MySqlBackupSource` to choose options). */
  public backupSource(): IBackupSource {
    this.defaultBackupSource ??= new MySqlBackupSource(this);
    return this.defaultBackupSource;
  }
}

/**
 * A MariaDB flavor with a mysql image (or the reverse) starts, but the scripts use the other
 * server's tools and replication statements: replicas never replicate. The image's repository
 * name says which server it is.
 */
function checkImageFamily(path: string, flavor: MySqlFlavor, image: string, prop: string): void {
  if (typeof image !== 'string') return; // the base reports the wrong type
  const repository = image.split('@')[0].replace(/:[^/]*$/, '').split('/').pop() ?? '';
  const other = flavor.family === 'mysql' ? 'mariadb' : 'mysql';
  if (repository.includes(other) && !repository.includes(flavor.family)) {
    throw new ConfigurationError(path, prop, `is a ${other} image, but the flavor is ${flavor.family}`, image,
      `Use MySqlFlavor.${other === 'mariadb' ? 'mariadb1011' : 'mysql84'}() for this image, or a ${flavor.family} image.`);
  }
}
