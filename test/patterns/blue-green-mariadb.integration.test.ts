/**
 * The blue-green dump/restore migrate Job (the engine's own backup dump and restore, through the
 * Job's emptyDir) against two real MariaDB 10.11 servers (Debian mariadb-server), without and with
 * the MySQL-family write freeze. Scripts and literal env from the synthesized YAML; hosts, ports,
 * passwords and the work directory overridden.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { BlueGreenColor, BlueGreenDatabase, MigrationStrategy, MySqlCluster, MySqlFlavor } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { MARIADB_BINARIES, MariaDbServer, mariadbServers } from '../support/mariadb';
import { runAs, shellcheck, tempDirFor, waitFor, writeShared } from '../support/run';
import { literalEnv, mainContainer, synthBlueGreen } from './support';

const ROOT_PASSWORD = "r00t 'pass'";
const APP_PASSWORD = 'app pw';

function synthesized(freeze: boolean): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const clientLabels = { 'shop-client': 'true' };
  const blue = new MySqlCluster(chart, 'shop-v1', { replicas: 1, flavor: MySqlFlavor.mariadb1011(), clientLabels });
  const green = new MySqlCluster(chart, 'shop-v2', { replicas: 1, flavor: MySqlFlavor.mariadb1011(), clientLabels });
  new BlueGreenDatabase(chart, 'mysql', {
    blue, green, active: BlueGreenColor.BLUE, name: 'shop',
    strategy: freeze ? MigrationStrategy.dumpRestore({ appRole: 'shop_app', freezeTimeout: Duration.minutes(10) }) : undefined,
  });
  return synthBlueGreen(chart);
}
const plain = synthesized(false);
const frozen = synthesized(true);
const scriptsOf = (ms: Manifest[]) => findManifest(ms, 'ConfigMap', 'shop-migration-scripts').data as Record<string, string>;

describeWithBinaries('the MySQL-family freeze scripts pass shellcheck as POSIX sh', SHELLCHECK, () => {
  test.each(['mysql-common.sh', 'mysql-freeze.sh', 'mysql-unfreeze.sh', 'freeze-start.sh', 'frozen-step.sh'])('%s', (name) => {
    expect(shellcheck(scriptsOf(frozen)[name])).toBe('');
  });
});

describeWithBinaries('blue-green dump/restore between real MariaDB 10.11 servers', MARIADB_BINARIES, () => {
  const dir = tempDirFor('mysql', 'bg-mariadb-it-');
  const mariadb = mariadbServers(dir, ROOT_PASSWORD);
  const scripts = path.join(dir, 'scripts');
  const blockers: ChildProcess[] = [];
  let v1: MariaDbServer;

  const checksum = (server: MariaDbServer) => server.sql("SET SESSION group_concat_max_len = 1073741824; SELECT CONCAT(COUNT(*), ':', MD5(GROUP_CONCAT(CONCAT_WS('|', id, name, HEX(blob_value)) ORDER BY id SEPARATOR ';'))) FROM shop.items");
  /** A client insert over TCP as `user`: the exit status and the error say whether the freeze held. */
  const insert = (server: MariaDbServer, user: string, name: string) => runAs('mysql', '/usr/bin/mariadb', ['--protocol=tcp', '-h', '127.0.0.1', '-P', String(server.port), `-u${user}`, '-e',
    `INSERT INTO shop.items (name) VALUES ('${name}')`], { MYSQL_PWD: user === 'root' ? ROOT_PASSWORD : APP_PASSWORD });
  function run(manifests: Manifest[], job: string, container: string, overrides: Record<string, string>) {
    const c = mainContainer(findManifest(manifests, 'Job', job), container);
    return runAs('mysql', '/bin/sh', [path.join(scripts, c.command[1].split('/').pop())], {
      ...literalEnv(c), SCRIPTS_DIR: scripts, MYSQL_PWD: ROOT_PASSWORD, TMPDIR: dir, ...overrides,
    });
  }
  const ok = (r: ReturnType<typeof runAs>) => {
    if (r.status !== 0) throw new Error(`exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const at = (server: MariaDbServer) => ({ MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(server.port) });
  const sourceAt = (server: MariaDbServer) => ({ SOURCE_HOST: '127.0.0.1', SOURCE_PORT: String(server.port), SOURCE_PASSWORD: ROOT_PASSWORD });

  beforeAll(() => {
    const all = { ...scriptsOf(frozen), 'stall.sh': '#!/bin/sh\nsleep 60\n' };
    for (const [file, body] of Object.entries(all)) writeShared(path.join(scripts, file), body, 0o755);
    v1 = mariadb.start('v1');
    v1.sql(`CREATE DATABASE shop CHARACTER SET utf8mb4; USE shop;
      CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(200), blob_value BLOB) CHARACTER SET utf8mb4;
      INSERT INTO shop.items (name, blob_value) SELECT CONCAT('item ', seq, ' ü''s'), UNHEX(MD5(seq)) FROM seq_1_to_3000;
      CREATE USER shop_app@'%' IDENTIFIED BY '${APP_PASSWORD}'; CREATE USER shop_app@'localhost' IDENTIFIED BY '${APP_PASSWORD}';
      GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO shop_app@'%'; GRANT SELECT, INSERT ON shop.* TO shop_app@'localhost';
      CREATE USER reporter@'%' IDENTIFIED BY '${APP_PASSWORD}'; GRANT SELECT, INSERT ON shop.* TO reporter@'%';`);
  }, 240_000);

  afterAll(() => {
    for (const b of blockers) b.kill();
    mariadb.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('no freeze: wait, dump from v1, restore into v2: checksums equal', () => {
    const v2 = mariadb.start('v2');
    const before = checksum(v1);
    const job = 'shop-blue-to-green-migrate';
    const dumpFile = path.join(tempDirFor('mysql', 'bg-mariadb-work-'), `dump${literalEnv(mainContainer(findManifest(plain, 'Job', job), 'dump')).DUMP_FILE.split('dump').pop()}`);
    ok(run(plain, job, 'wait-for-source', at(v1)));
    ok(run(plain, job, 'wait-for-target', at(v2)));
    ok(run(plain, job, 'dump', { ...at(v1), DUMP_FILE: dumpFile }));
    ok(run(plain, job, 'restore', { ...at(v2), DUMP_FILE: dumpFile }));
    expect(before).toMatch(/^3000:[0-9a-f]{32}$/);
    expect(checksum(v2)).toBe(before);
    // The dump carries the table's AUTO_INCREMENT counter: the first insert on v2 does not collide.
    const next = v1.sql("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'items'");
    expect(v2.sql("INSERT INTO shop.items (name) VALUES ('after'); SELECT MAX(id) FROM shop.items")).toBe(next);
  }, 240_000);

  describe('with the freeze (appRole shop_app)', () => {
    const job = 'shop-blue-to-green-migrate';
    let work: string;
    let started: string;
    beforeEach(() => {
      work = tempDirFor('mysql', 'bg-mariadb-frozen-');
      started = path.join(work, 'freeze-started');
    });
    const frozenEnv = () => ({ ...sourceAt(v1), FREEZE_STARTED_FILE: started, DUMP_FILE: path.join(work, 'dump.sql.gz') });

    test('writes refused during the freeze (app locked, its open transaction killed, other accounts read-only), dump/restore equal, allowed after unfreeze', () => {
      const v3 = mariadb.start('v3');
      expect(insert(v1, 'shop_app', 'before the freeze').status).toBe(0);
      // An application session in an open transaction: the freeze kills it, its insert is never committed.
      const blocker = spawn('/usr/bin/mariadb', ['--protocol=tcp', '-h', '127.0.0.1', '-P', String(v1.port), '-ushop_app', '-e',
        "BEGIN; INSERT INTO shop.items (name) VALUES ('uncommitted'); SELECT SLEEP(60); COMMIT;"], { env: { ...process.env, MYSQL_PWD: APP_PASSWORD }, stdio: 'ignore' });
      blockers.push(blocker);
      const sessions = () => v1.sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'shop_app'");
      waitFor('the open transaction', () => sessions() === '1', 20_000);
      const freezeOut = ok(run(frozen, job, 'freeze', { ...frozenEnv() }));
      expect(freezeOut).toMatch(/source frozen: every account of shop_app locked, its sessions killed, SET GLOBAL read_only = ON/);
      expect(Number(fs.readFileSync(started, 'utf8'))).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(sessions()).toBe('0');
      expect(v1.sql("SELECT COUNT(*) FROM shop.items WHERE name = 'uncommitted'")).toBe('0');

      const app = insert(v1, 'shop_app', 'during the freeze');
      expect(app.status).not.toBe(0);
      expect(app.stderr).toMatch(/Access denied, this account is locked/);
      const other = insert(v1, 'reporter', 'during the freeze');
      expect(other.status).not.toBe(0);
      expect(other.stderr).toMatch(/--read-only option/);
      // MariaDB has no super_read_only: root (ALL PRIVILEGES includes READ_ONLY ADMIN) still writes (README says so).
      expect(insert(v1, 'root', 'root during the freeze').status).toBe(0);
      v1.sql("SET SESSION sql_log_bin = 0; DELETE FROM shop.items WHERE name = 'root during the freeze'");

      const before = checksum(v1);
      ok(run(frozen, job, 'dump', { ...at(v1), ...frozenEnv() }));
      ok(run(frozen, job, 'restore', { ...at(v3), ...frozenEnv() }));
      expect(checksum(v3)).toBe(before);
      expect(insert(v1, 'shop_app', 'still frozen').status).not.toBe(0); // v1 stays frozen until the flip

      const unfreezeOut = ok(run(frozen, 'shop-unfreeze-blue', 'unfreeze', sourceAt(v1)));
      expect(unfreezeOut).toMatch(/source unfrozen: writable, accounts of shop_app unlocked/);
      expect(insert(v1, 'shop_app', 'after the unfreeze').status).toBe(0);
      expect(insert(v1, 'reporter', 'after the unfreeze').status).toBe(0);
      expect(v1.sql('SELECT @@GLOBAL.read_only')).toBe('0');
      // A second unfreeze is a no-op.
      expect(ok(run(frozen, 'shop-unfreeze-blue', 'unfreeze', sourceAt(v1)))).toMatch(/source was not read-only/);
    }, 240_000);

    test('abort: the dump outlasts the freeze timeout, it is killed, the source is writable and the step fails', () => {
      ok(run(frozen, job, 'freeze', frozenEnv()));
      expect(insert(v1, 'shop_app', 'x').status).not.toBe(0);
      const t0 = Date.now();
      const result = run(frozen, job, 'dump', { ...at(v1), ...frozenEnv(), STEP_SCRIPT: 'stall.sh', FREEZE_TIMEOUT_SECONDS: '3' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/freeze timeout of 3s exceeded during stall.sh/);
      expect(result.stderr).toMatch(/source unfrozen/);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(insert(v1, 'shop_app', 'after the abort').status).toBe(0);
      expect(insert(v1, 'reporter', 'after the abort').status).toBe(0);
    }, 60_000);

    test('abort: a failed dump (wrong password) unfreezes the source', () => {
      ok(run(frozen, job, 'freeze', frozenEnv()));
      const result = run(frozen, job, 'dump', { ...at(v1), ...frozenEnv(), MYSQL_PWD: 'wrong' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/dump-database.sh failed \(exit \d+\); unfreezing the source/);
      expect(insert(v1, 'shop_app', 'after the failed dump').status).toBe(0);
    }, 60_000);

    test('a freeze for a user without an account fails and leaves the source writable', () => {
      const result = run(frozen, job, 'freeze', { ...frozenEnv(), APP_ROLE: 'nobody_here' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/the application user nobody_here has no account/);
      expect(insert(v1, 'reporter', 'after the failed freeze').status).toBe(0);
    }, 60_000);
  });
});
