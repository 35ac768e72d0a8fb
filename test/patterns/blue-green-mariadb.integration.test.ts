/**
 * The blue-green dump/restore migrate Job (the engine's own backup dump and restore, through the
 * Job's emptyDir) against two real MariaDB 10.11 servers (Debian mariadb-server). Scripts and
 * literal env from the synthesized YAML; hosts, ports and the password overridden.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, MySqlCluster, MySqlFlavor } from '../../lib';
import { findManifest } from '../../lib/testing/validate';
import { describeWithBinaries } from '../support/binaries';
import { freePort, mustRunAs, runAs, tempDirFor, waitFor, writeShared } from '../support/run';
import { literalEnv, mainContainer, synthBlueGreen } from './support';

const ROOT_PASSWORD = "r00t 'pass'";

describeWithBinaries('blue-green dump/restore between real MariaDB 10.11 servers', [['/usr/sbin/mariadbd', 'mariadb-server'], ['/usr/bin/mariadb-dump', 'mariadb-client']], () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const clientLabels = { 'shop-client': 'true' };
  const blue = new MySqlCluster(chart, 'shop-v1', { replicas: 1, flavor: MySqlFlavor.mariadb1011(), clientLabels });
  const green = new MySqlCluster(chart, 'shop-v2', { replicas: 1, flavor: MySqlFlavor.mariadb1011(), clientLabels });
  new BlueGreenDatabase(chart, 'mysql', { blue, green, active: BlueGreenColor.BLUE, name: 'shop' });
  const manifests = synthBlueGreen(chart);
  const job = findManifest(manifests, 'Job', 'shop-blue-to-green-migrate');
  const dir = tempDirFor('mysql', 'bg-mariadb-it-');
  const sockets: string[] = [];
  const scripts = path.join(dir, 'scripts');

  function startServer(name: string): { port: number; socket: string } {
    const base = path.join(dir, name);
    const port = freePort();
    const socket = path.join(base, 'mysqld.sock');
    mustRunAs('mysql', 'mkdir', ['-p', path.join(base, 'data')]);
    const cnf = writeShared(path.join(base, 'my.cnf'), `[mysqld]\ndatadir=${base}/data\nsocket=${socket}\nport=${port}\nbind-address=127.0.0.1\npid-file=${base}/mysqld.pid\nskip-name-resolve\n`);
    mustRunAs('mysql', '/usr/bin/mariadb-install-db', [`--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
    runAs('mysql', '/bin/sh', ['-c', `nohup /usr/sbin/mariadbd --defaults-file=${cnf} >${base}/log 2>&1 &`]);
    waitFor(`${name} socket`, () => fs.existsSync(socket), 60_000);
    waitFor(`${name} ping`, () => runAs('mysql', '/usr/bin/mariadb-admin', [`--socket=${socket}`, '-uroot', 'ping']).status === 0, 60_000);
    mustRunAs('mysql', '/usr/bin/mariadb', [`--socket=${socket}`, '-uroot'], {}, `
      DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost'; DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;
      CREATE USER root@'%' IDENTIFIED BY '${ROOT_PASSWORD.replace(/'/g, "''")}'; GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;`);
    sockets.push(socket);
    return { port, socket };
  }
  const sql = (socket: string, query: string) => mustRunAs('mysql', '/usr/bin/mariadb', [`--socket=${socket}`, '--default-character-set=utf8mb4', '-uroot', '-N', '-B', '-e', query]).trim();
  const checksum = (socket: string) => sql(socket, "SET SESSION group_concat_max_len = 1073741824; SELECT CONCAT(COUNT(*), ':', MD5(GROUP_CONCAT(CONCAT_WS('|', id, name, HEX(blob_value)) ORDER BY id SEPARATOR ';'))) FROM shop.items");
  function run(container: string, port: number, extra: Record<string, string>) {
    const c = mainContainer(job, container);
    const result = runAs('mysql', '/bin/sh', [path.join(scripts, c.command[1].split('/').pop())], {
      ...literalEnv(c), SCRIPTS_DIR: scripts, MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(port), MYSQL_PWD: ROOT_PASSWORD, TMPDIR: dir, ...extra,
    });
    if (result.status !== 0) throw new Error(`${container} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  afterAll(() => {
    for (const socket of sockets) runAs('mysql', '/usr/bin/mariadb-admin', [`--socket=${socket}`, '-uroot', 'shutdown'], { MYSQL_PWD: ROOT_PASSWORD });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('wait, dump from v1, restore into v2: checksums equal', () => {
    const data = findManifest(manifests, 'ConfigMap', 'shop-migration-scripts').data as Record<string, string>;
    for (const [file, body] of Object.entries(data)) writeShared(path.join(scripts, file), body, 0o755);
    const v1 = startServer('v1');
    const v2 = startServer('v2');
    sql(v1.socket, `CREATE DATABASE shop CHARACTER SET utf8mb4; USE shop;
      CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(200), blob_value BLOB) CHARACTER SET utf8mb4;
      INSERT INTO shop.items (name, blob_value) SELECT CONCAT('item ', seq, ' ü''s'), UNHEX(MD5(seq)) FROM seq_1_to_3000;`);
    const before = checksum(v1.socket);
    const work = tempDirFor('mysql', 'bg-mariadb-work-');
    const dumpFile = path.join(work, `dump${literalEnv(mainContainer(job, 'dump')).DUMP_FILE.split('dump').pop()}`);
    run('wait-for-source', v1.port, {});
    run('wait-for-target', v2.port, {});
    run('dump', v1.port, { DUMP_FILE: dumpFile });
    run('restore', v2.port, { DUMP_FILE: dumpFile });
    expect(before).toMatch(/^3000:[0-9a-f]{32}$/);
    expect(checksum(v2.socket)).toBe(before);
    // The dump carries the table's AUTO_INCREMENT counter: the first insert on v2 does not collide.
    const next = sql(v1.socket, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'items'");
    expect(sql(v2.socket, "INSERT INTO shop.items (name) VALUES ('after'); SELECT MAX(id) FROM shop.items")).toBe(next);
    expect(Number(next)).toBeGreaterThan(3000);
  }, 180_000);
});
