/**
 * The server line a MySqlCluster runs. MySQL 8.4 (LTS) by default; 8.0 (end of life April 2026)
 * and MariaDB 10.11 as options. What differs: image, client tool names, GTID settings, the
 * read-only variable and the replication statements (chosen in the script by MYSQL_FLAVOR).
 */
export class MySqlFlavor {
  /** MySQL 8.4, the LTS line. */
  public static mysql84(image = 'mysql:8.4.3'): MySqlFlavor {
    return new MySqlFlavor('mysql', image, 'mysql', 'mysqladmin', 'mysqldump', 'super_read_only = ON');
  }
  /** MySQL 8.0: end of life since April 2026; for clusters not yet on 8.4. */
  public static mysql80(image = 'mysql:8.0.40'): MySqlFlavor {
    return new MySqlFlavor('mysql', image, 'mysql', 'mysqladmin', 'mysqldump', 'super_read_only = ON');
  }
  /** MariaDB 10.11 (LTS), on the official mariadb image. */
  public static mariadb1011(image = 'mariadb:10.11.10'): MySqlFlavor {
    return new MySqlFlavor('mariadb', image, 'mariadb', 'mariadb-admin', 'mariadb-dump', 'read_only = ON');
  }
  private constructor(
    /** `mysql` or `mariadb`: selects the replication statements. */
    public readonly family: string,
    public readonly image: string,
    public readonly client: string,
    public readonly admin: string,
    /** The logical dump tool. */
    public readonly dumpTool: string,
    /** The setting that makes a replica refuse writes from clients. */
    public readonly readOnlySetting: string,
  ) {}

  /**
   * Dump options for a restore into a running cluster: MySQL's dump would otherwise set
   * GTID_PURGED, which a server that has executed transactions refuses.
   */
  public dumpOptions(): string {
    return this.family === 'mysql' ? '--set-gtid-purged=OFF' : '';
  }

  /** Settings both roles need for GTID replication. */
  public gtidSettings(): string[] {
    return this.family === 'mysql' ? ['gtid_mode = ON', 'enforce_gtid_consistency = ON'] : ['binlog_format = ROW', 'log_slave_updates = ON'];
  }
}
