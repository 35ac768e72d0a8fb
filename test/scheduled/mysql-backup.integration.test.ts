/**
 * The MySQL backup source's dump, restore and wait scripts executed against real MariaDB 10.11
 * (Debian package mariadb-server) through the generic backup.sh / restore.sh, with the
 * MySqlCluster's MariaDB flavor. Scripts and literal env come from the synthesized YAML; hosts,
 * ports, paths and the password are overridden through the environment the scripts read.
 * The MySQL 8 flavor differs only in tool names and `--set-gtid-purged=OFF` (asserted below;
 * no MySQL server in Debian).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Cron, Size, Testing } from 'cdk8s';
import { MySqlCluster, MySqlFlavor } from '../../lib';
import { BackupCronJob, BackupSchedule, BackupTarget, RestoreJob } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { mustRunAs, runAs, shellcheck, tempDirFor, writeShared } from '../support/run';
import { MARIADB_BINARIES, MariaDbServer, mariadbServers } from '../support/mariadb';
import { containerOf, literalEnv, synth } from './support';

const ROOT_PASSWORD = "r00t 'pass'";

function synthesized(flavor: MySqlFlavor) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new MySqlCluster(chart, 'shop-db', { replicas: 1, flavor });
  const backup = new BackupCronJob(chart, 'shop-backup', {
    database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(10) }), retention: 2,
  });
  new RestoreJob(chart, 'shop-restore', { backup });
  const manifests = synth(chart);
  const scripts = (name: string) => findManifest(manifests, 'ConfigMap', `${name}-scripts`).data as Record<string, string>;
  return { manifests, scripts, cron: findManifest(manifests, 'CronJob', 'shop-backup'), job: findManifest(manifests, 'Job', 'shop-restore') };
}

describeWithBinaries('MySQL backup scripts', SHELLCHECK, () => {
  const gen = synthesized(MySqlFlavor.mysql84());
  test.each(Object.entries(gen.scripts('shop-backup')))('%s passes shellcheck', (_, body) => expect(shellcheck(body)).toBe(''));
  test('the MySQL 8 flavor dumps with mysqldump and without GTID_PURGED; root password by Secret reference', () => {
    const backup = containerOf(gen.cron, 'backup');
    expect(literalEnv(backup)).toMatchObject({ MYSQL_DUMP: 'mysqldump', MYSQL_DUMP_OPTIONS: '--set-gtid-purged=OFF', MYSQL_HOST: 'shop-db-primary.shop.svc.cluster.local', MYSQL_PORT: '3306', DUMP_EXTENSION: '.sql.gz' });
    expect(backup.env.find((e: Manifest) => e.name === 'MYSQL_PWD').valueFrom).toEqual({ secretKeyRef: { name: 'shop-db-credentials', key: 'root-password' } });
    expect(backup.image).toBe('mysql:8.4.3');
    expect(gen.cron.spec.jobTemplate.spec.template.metadata.labels).toMatchObject({ 'cdk8s-workloads.io/client-of': 'shop-db' });
  });
});

describeWithBinaries('MySQL backup and restore round trip against real MariaDB 10.11', [...MARIADB_BINARIES, ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const gen = synthesized(MySqlFlavor.mariadb1011());
  const dir = tempDirFor('mysql', 'mysql-backup-it-');

  function scriptsDir(name: string): string {
    const target = path.join(dir, `${name}-scripts`);
    for (const [file, body] of Object.entries(gen.scripts(name))) writeShared(path.join(target, file), body, 0o755);
    return target;
  }

  const mariadb = mariadbServers(dir, ROOT_PASSWORD);
  const startServer = (name: string) => mariadb.start(name);

  const sql = (socket: string, query: string) => mustRunAs('mysql', '/usr/bin/mariadb', [`--socket=${socket}`, '--default-character-set=utf8mb4', '-uroot', '-N', '-B', '-e', query]).trim();
  /** Row count and md5 over every row in id order, per table. */
  const checksums = (socket: string) => Object.fromEntries(['items', 'events_log'].map((t) => [t, sql(socket, `SET SESSION group_concat_max_len = 1073741824; SELECT CONCAT(COUNT(*), ':', MD5(GROUP_CONCAT(CONCAT_WS('|', id, HEX(CAST(t.payload AS BINARY))) ORDER BY id SEPARATOR ';'))) FROM shop.${t} t`)]));

  function runScript(scripts: string, file: string, container: Manifest, overrides: Record<string, string>) {
    const result = runAs('mysql', '/bin/sh', [path.join(scripts, file)], { ...literalEnv(container), SCRIPTS_DIR: scripts, ...overrides });
    if (result.status !== 0) throw new Error(`${file} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  let source: MariaDbServer;
  let before: Record<string, string>;

  beforeAll(() => {
    source = startServer('source');
    sql(source.socket, `
      CREATE DATABASE shop CHARACTER SET utf8mb4; USE shop;
      CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(200), price DECIMAL(14,4), created DATETIME(6), doc JSON, blob_value BLOB,
        payload TEXT AS (CONCAT_WS('#', name, price, created, doc, HEX(blob_value))) VIRTUAL) CHARACTER SET utf8mb4;
      INSERT INTO shop.items (id, name, price, created, doc, blob_value)
        SELECT seq, CONCAT('item ', seq, ' it''s "quoted" \\\\ back\\tslash ü€😀'), seq * -1234.5678, TIMESTAMP('2024-01-31 03:00:00.123456') + INTERVAL seq HOUR,
               JSON_OBJECT('n', seq, 'q', 'he said "hi"'), UNHEX(CONCAT(MD5(seq), '00FF0A0D'))
        FROM seq_1_to_1500;
      INSERT INTO shop.items (id, name) VALUES (0, '');
      CREATE TABLE shop.events_log (id INT PRIMARY KEY AUTO_INCREMENT, payload VARCHAR(100));
      INSERT INTO shop.events_log (payload) VALUES ('a'), ('b'), (NULL);
      CREATE TRIGGER shop.items_guard BEFORE INSERT ON shop.items FOR EACH ROW SET NEW.name = TRIM(NEW.name);
    `);
    before = checksums(source.socket);
  }, 420_000);

  afterAll(() => {
    mariadb.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the generated backup dumps every user database; the generated restore brings it back into a fresh server: checksums match', () => {
    expect(before.items).toMatch(/^1501:[0-9a-f]{32}$/);
    const scripts = scriptsDir('shop-backup');
    const volume = tempDirFor('mysql', 'mysql-volume-');
    const backup = containerOf(gen.cron, 'backup');
    const env = (port: number) => ({ MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(port), MYSQL_PWD: ROOT_PASSWORD, BACKUP_DIR: volume });
    expect(runScript(scripts, 'backup.sh', backup, { ...env(source.port), BACKUP_TIMESTAMP: '20240131T030000Z' })).toMatch(/dump: databases shop of 127\.0\.0\.1/);
    expect(fs.readdirSync(volume)).toEqual(['shop-db-20240131T030000Z.sql.gz']);

    const fresh = startServer('restored');
    const restoreScripts = scriptsDir('shop-restore');
    runScript(restoreScripts, 'wait-for-database.sh', containerOf(gen.job, 'wait-for-database'), env(fresh.port));
    expect(runScript(restoreScripts, 'restore.sh', containerOf(gen.job, 'restore'), env(fresh.port))).toMatch(/restored into 127\.0\.0\.1/);
    expect(checksums(fresh.socket)).toEqual(before);
    expect(sql(fresh.socket, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'items_guard'")).toBe('1');

    // Restoring again over existing tables replaces them (DROP TABLE IF EXISTS in the dump).
    sql(fresh.socket, "INSERT INTO shop.events_log (payload) VALUES ('after the backup')");
    runScript(restoreScripts, 'restore.sh', containerOf(gen.job, 'restore'), env(fresh.port));
    expect(checksums(fresh.socket)).toEqual(before);
  }, 420_000);

  test('a failed dump (wrong password) fails the backup and leaves no file', () => {
    const scripts = scriptsDir('shop-backup');
    const volume = tempDirFor('mysql', 'mysql-volume-');
    const result = runAs('mysql', '/bin/sh', [path.join(scripts, 'backup.sh')], {
      ...literalEnv(containerOf(gen.cron, 'backup')), SCRIPTS_DIR: scripts, MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(source.port), MYSQL_PWD: 'wrong', BACKUP_DIR: volume,
    });
    expect(result.status).not.toBe(0);
    expect(fs.readdirSync(volume)).toEqual([]);
  });
});
