import { Construct } from 'constructs';
import { ReplicatedDatabase, ReplicatedDatabaseProps } from '../replicated-database';
import { MySqlFlavor } from './flavor';
import { MYSQL_SECRET_KEYS, MySqlEngine } from './mysql-engine';
import { MySqlSettings } from './settings';

export interface MySQLClusterProps extends ReplicatedDatabaseProps {
  /**
   * The server line: MySQL 8.4 LTS, MySQL 8.0 (end of life) or MariaDB 10.11.
   * `image` overrides the flavor's image tag.
   * @default MySqlFlavor.mysql84()
   */
  readonly flavor?: MySqlFlavor;
  /**
   * my.cnf settings, shipped in the `<name>-config` ConfigMap.
   * @default - max_connections 151, innodb_buffer_pool_size 512M, binary logs kept 30 days
   */
  readonly settings?: MySqlSettings;
}

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
export class MySQLCluster extends ReplicatedDatabase {
  public readonly mysql: MySqlEngine;
  /** The Secret key of the root password. */
  public readonly rootPasswordKey = MYSQL_SECRET_KEYS.rootPassword;

  constructor(scope: Construct, id: string, props: MySQLClusterProps = {}) {
    const engine = new MySqlEngine(props.flavor ?? MySqlFlavor.mysql84(), props.settings);
    super(scope, id, engine, props);
    this.mysql = engine;
  }
}
