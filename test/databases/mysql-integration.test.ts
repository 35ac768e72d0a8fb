/**
 * MySqlCluster's scripts executed against real MariaDB 10.11 (Debian package mariadb-server),
 * with the cluster's MariaDB flavor: server-id derivation, role selection, replication bootstrap
 * with GTID, read-only replicas and the probe commands. Scripts and settings come from the
 * synthesized YAML; only hosts, ports and paths are overridden through environment variables.
 *
 * Not executable here: the MySQL 8 branch of replication-init.sh (CHANGE REPLICATION SOURCE ...
 * SOURCE_AUTO_POSITION, START REPLICA) and MySQL's gtid_mode/super_read_only settings; there
 * is no MySQL server in Debian. That branch is shellchecked and asserted textually below.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { MySqlCluster, MySqlFlavor, testing } from '../../lib';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { freePort, mustRunAs, runAs, shellcheck, tempDirFor, waitFor, writeShared } from '../support/run';

const ROOT_PASSWORD = 'root-secret';
const REPLICATION_PASSWORD = "re'pl\\pass";

function synthesized(flavor: MySqlFlavor) {
  const chart = new Chart(Testing.app(), 'it', { namespace: 'shop' });
  new MySqlCluster(chart, 'shop-db', { replicas: 2, flavor, settings: { maxConnections: 77 } });
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const scripts = testing.Harness.findManifest(manifests, 'ConfigMap', 'shop-db-scripts').data as Record<string, string>;
  const settings = testing.Harness.findManifest(manifests, 'ConfigMap', 'shop-db-config').data as Record<string, string>;
  const pod = testing.Harness.findManifest(manifests, 'StatefulSet', 'shop-db').spec.template.spec;
  const env = Object.fromEntries(pod.containers[0].env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
  return { scripts, settings, server: pod.containers[0], env };
}

describeWithBinaries('MySQL scripts pass shellcheck', SHELLCHECK, () => {
  const { scripts } = synthesized(MySqlFlavor.mysql84());
  test.each(Object.keys(scripts))('%s', (name) => expect(shellcheck(scripts[name])).toBe(''));
  test('the MySQL 8 replication statements (not executable here) use GTID auto-positioning', () => {
    expect(scripts['replication-init.sh']).toMatch(/CHANGE REPLICATION SOURCE TO SOURCE_HOST=\$host, SOURCE_PORT=\$MYSQL_PORT, SOURCE_USER=\$user, SOURCE_PASSWORD=\$password, SOURCE_AUTO_POSITION=1/);
    expect(scripts['replication-init.sh']).toContain('START REPLICA;');
  });
});

describeWithBinaries('MySqlCluster (MariaDB flavor) against real MariaDB 10.11', [['/usr/sbin/mariadbd', 'mariadb-server'], ['/usr/bin/mariadb', 'mariadb-client'], ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const cluster = synthesized(MySqlFlavor.mariadb1011());
  const dir = tempDirFor('mysql', 'mariadb-it-');
  const scriptsDir = path.join(dir, 'scripts');
  const settingsDir = path.join(dir, 'settings');
  const primaryPort = freePort();
  const replicaPort = primaryPort + 1;

  interface Pod { name: string; port: number; datadir: string; confDir: string; socket: string; cnf: string }
  const pod = (name: string, port: number): Pod => {
    const base = path.join(dir, name);
    return { name, port, datadir: path.join(base, 'data'), confDir: path.join(base, 'conf.d'), socket: path.join(base, 'mysqld.sock'), cnf: path.join(base, 'my.cnf') };
  };
  const primary = pod('shop-db-0', primaryPort);
  const replica = pod('shop-db-1', replicaPort);
  const as = (cmd: string, args: string[], env: Record<string, string> = {}, input?: string) => mustRunAs('mysql', cmd, args, env, input);
  const scriptEnv = (p: Pod) => ({
    ...cluster.env, POD_NAME: p.name, SETTINGS_DIR: settingsDir, CONF_DIR: p.confDir, DATADIR: p.datadir, MYSQL_SOCKET: p.socket,
    MYSQL_PORT: String(primaryPort), PRIMARY_HOST: '127.0.0.1', MYSQL_ROOT_PASSWORD: ROOT_PASSWORD, REPLICATION_PASSWORD, SCRIPTS_DIR: scriptsDir,
  });
  const sql = (p: Pod, query: string) => as('/usr/bin/mariadb', ['--protocol=socket', `--socket=${p.socket}`, '-uroot', '-N', '-B', '-e', query], { MYSQL_PWD: ROOT_PASSWORD }).trim();
  const startServer = (p: Pod, extra: string[]) => {
    runAs('mysql', '/bin/sh', ['-c', `nohup /usr/sbin/mariadbd --defaults-file=${p.cnf} ${extra.join(' ')} >${p.datadir}.log 2>&1 &`]);
    waitFor(`${p.name} socket`, () => fs.existsSync(p.socket), 180_000);
    // ping exits 0 once the server answers, even when the password is not set yet.
    waitFor(`${p.name} ping`, () => runAs('mysql', '/usr/bin/mariadb-admin', ['--protocol=socket', `--socket=${p.socket}`, '-uroot', 'ping'], { MYSQL_PWD: ROOT_PASSWORD }).status === 0, 180_000);
  };
  const stopServer = (p: Pod) => {
    runAs('mysql', '/usr/bin/mariadb-admin', ['--protocol=socket', `--socket=${p.socket}`, '-uroot', 'shutdown'], { MYSQL_PWD: ROOT_PASSWORD });
    waitFor(`${p.name} to stop`, () => !fs.existsSync(p.socket), 60_000);
  };

  /** What the mariadb image's entrypoint does on an empty volume, then the real start. */
  const initializeLikeTheEntrypoint = (p: Pod) => {
    writeShared(p.cnf, `[mysqld]\ndatadir=${p.datadir}\nsocket=${p.socket}\nport=${p.port}\nbind-address=127.0.0.1\npid-file=${p.datadir}.pid\n!includedir ${p.confDir}\n`);
    as('/usr/bin/mariadb-install-db', [`--defaults-file=${p.cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
    startServer(p, ['--skip-networking']);
    // The entrypoint loads the time zone tables. Worst case: into the binary log (the replica
    // replays them over its own copy; the dump starts with TRUNCATE, so that must not break replication).
    const tz = runAs('mysql', '/bin/sh', ['-c', `/usr/bin/mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | /usr/bin/mariadb --protocol=socket --socket=${p.socket} -uroot mysql`]);
    if (tz.status !== 0) throw new Error(tz.stderr);
    // As the entrypoint: only root@localhost survives install-db, then root@'%' with the password.
    as('/usr/bin/mariadb', ['--protocol=socket', `--socket=${p.socket}`, '-uroot'], {}, `SET @@SESSION.SQL_LOG_BIN=0;
      DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'; DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;
      ALTER USER root@localhost IDENTIFIED BY '${ROOT_PASSWORD}';
      CREATE USER root@'%' IDENTIFIED BY '${ROOT_PASSWORD}'; GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;`);
    const out = as('/bin/sh', [path.join(scriptsDir, 'replication-init.sh')], scriptEnv(p));
    stopServer(p);
    startServer(p, []);
    return out;
  };

  beforeAll(() => {
    for (const [name, body] of Object.entries(cluster.scripts)) writeShared(path.join(scriptsDir, name), body, 0o755);
    for (const [name, body] of Object.entries(cluster.settings)) writeShared(path.join(settingsDir, name), body);
    for (const p of [primary, replica]) as('mkdir', ['-p', p.datadir, p.confDir]);
  }, 400_000);

  afterAll(() => {
    for (const p of [replica, primary]) if (fs.existsSync(p.socket)) runAs('mysql', '/usr/bin/mariadb-admin', ['--protocol=socket', `--socket=${p.socket}`, '-uroot', 'shutdown'], { MYSQL_PWD: ROOT_PASSWORD });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('configure derives server-id 100 + ordinal and selects the primary configuration for ordinal 0', () => {
    const out = as('/bin/sh', [path.join(scriptsDir, 'configure.sh')], scriptEnv(primary));
    expect(out).toMatch(/shop-db-0 is the primary, server-id 100/);
    expect(fs.readFileSync(path.join(primary.confDir, '20-server-id.cnf'), 'utf8')).toBe('[mysqld]\nserver-id = 100\n');
    expect(fs.readFileSync(path.join(primary.confDir, '30-role.cnf'), 'utf8')).toBe(cluster.settings['primary.cnf']);
    expect(fs.existsSync(path.join(primary.confDir, '40-read-only.cnf'))).toBe(false);
  });

  test('the primary initializes, loads the settings and creates the replication user', () => {
    expect(initializeLikeTheEntrypoint(primary)).toMatch(/replication user created on the primary/);
    expect(sql(primary, 'SELECT @@server_id, @@max_connections, @@log_bin, @@read_only')).toBe('100\t77\t1\t0');
    expect(sql(primary, "SELECT Repl_slave_priv FROM mysql.user WHERE User = 'replicator'")).toBe('Y');
  }, 400_000);

  test('a fresh replica gets the replica configuration without read-only (its initialization must write)', () => {
    const out = as('/bin/sh', [path.join(scriptsDir, 'configure.sh')], scriptEnv(replica));
    expect(out).toMatch(/shop-db-1 is a replica, server-id 101/);
    expect(fs.readFileSync(path.join(replica.confDir, '30-role.cnf'), 'utf8')).toBe(cluster.settings['replica.cnf']);
    expect(fs.existsSync(path.join(replica.confDir, '40-read-only.cnf'))).toBe(false);
  });

  test('the replica bootstraps with GTID, replicates rows written on the primary, and is read-only', () => {
    expect(initializeLikeTheEntrypoint(replica)).toMatch(/shop-db-1 replicates from 127.0.0.1/);
    expect(fs.readFileSync(path.join(replica.confDir, '40-read-only.cnf'), 'utf8')).toBe(cluster.settings['read-only.cnf']);
    expect(sql(replica, 'SELECT @@server_id, @@read_only')).toBe('101\t1');
    sql(primary, "CREATE DATABASE shop; USE shop; CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(50)); INSERT INTO orders (item) SELECT CONCAT('item ', seq) FROM seq_1_to_300");
    waitFor('rows on the replica', () => runAs('mysql', '/usr/bin/mariadb', ['--protocol=socket', `--socket=${replica.socket}`, '-uroot', '-N', '-B', '-e', 'SELECT COUNT(*) FROM shop.orders'], { MYSQL_PWD: ROOT_PASSWORD }).stdout.trim() === '300', 60_000);
    const status = as('/usr/bin/mariadb', ['--protocol=socket', `--socket=${replica.socket}`, '-uroot', '-e', 'SHOW SLAVE STATUS\\G'], { MYSQL_PWD: ROOT_PASSWORD });
    expect(status).toMatch(/Slave_IO_Running: Yes/);
    expect(status).toMatch(/Using_Gtid: Slave_Pos/);
    expect(status).toMatch(/Last_SQL_Errno: 0/);
    expect(sql(replica, "SELECT COUNT(*) > 0 FROM mysql.time_zone_name WHERE Name = 'Europe/Berlin'")).toBe('1');
  }, 400_000);

  test('configure on a restarted replica (data present) adds read-only directly', () => {
    fs.rmSync(path.join(replica.confDir, '40-read-only.cnf'));
    as('/bin/sh', [path.join(scriptsDir, 'configure.sh')], scriptEnv(replica));
    expect(fs.existsSync(path.join(replica.confDir, '40-read-only.cnf'))).toBe(true);
  });

  test('probe commands succeed against a live server and fail against a stopped one', () => {
    const probeEnv = { ...cluster.env, MYSQL_ROOT_PASSWORD: ROOT_PASSWORD, MYSQL_PORT: String(replicaPort) };
    const run = (command: string[]) => {
      const result = runAs('mysql', command[0], command.slice(1).map((a) => a.replace('/opt/cdk8s-workloads', scriptsDir)), probeEnv);
      return result.status;
    };
    const readiness: string[] = cluster.server.readinessProbe.exec.command;
    const liveness: string[] = cluster.server.livenessProbe.exec.command;
    expect(run(readiness)).toBe(0);
    expect(run(liveness)).toBe(0);
    expect(runAs('mysql', '/bin/sh', [path.join(scriptsDir, 'readiness.sh')], { ...probeEnv, MYSQL_ROOT_PASSWORD: 'wrong' }).status).not.toBe(0);
    stopServer(replica);
    expect(run(readiness)).not.toBe(0);
    expect(run(liveness)).not.toBe(0);
  }, 400_000);
});
