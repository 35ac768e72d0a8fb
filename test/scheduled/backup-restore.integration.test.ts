/**
 * The backup and restore shell executed against real PostgreSQL 15 (Debian package postgresql-15)
 * and a real S3 API (s3rver) with the AWS CLI (Debian package awscli). Every script and every
 * literal env value is taken from the synthesized YAML; only hosts, ports, paths and secrets are
 * overridden through the environment variables the scripts read.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cron, Size } from 'cdk8s';
import { BackupCronJob, BackupSchedule, BackupTarget, PostgresBackupSource, PostgresDump, PostgresDumpFormat, RestoreJob } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { freePort, mustRunAs, runAs, shellcheck, tempDirFor, waitFor, writeShared } from '../support/run';
import { chartWithDatabase, containerOf, literalEnv, s3Secret, synth } from './support';

const BIN = '/usr/lib/postgresql/15/bin';
const AWS = '/usr/bin/aws';
const PASSWORD = "pa'ss w0rd";

/** The generated objects: one volume backup (retention 3), one S3 backup, their restores, and a custom-format backup. */
function synthesized() {
  const { chart, db } = chartWithDatabase();
  const s3 = BackupTarget.s3({ bucket: 'backups', prefix: 'postgres/orders', endpoint: 'https://s3.example.com', credentialsSecret: s3Secret(chart) });
  const volume = new BackupCronJob(chart, 'orders-backup', {
    database: db, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(10) }), retention: 3,
  });
  new BackupCronJob(chart, 'orders-s3-backup', { database: db, schedule: BackupSchedule.expression('30 2 * * *'), target: s3 });
  new RestoreJob(chart, 'orders-restore', { backup: volume });
  new RestoreJob(chart, 'orders-s3-restore', { database: db, target: s3 });
  const custom = new PostgresBackupSource(db, { dump: PostgresDump.database({ database: 'shop', format: PostgresDumpFormat.CUSTOM }) });
  const customBackup = new BackupCronJob(chart, 'shop-backup', {
    database: custom, schedule: BackupSchedule.expression('@hourly'), target: BackupTarget.existingClaim('shop-dumps'), retention: 2,
  });
  new RestoreJob(chart, 'shop-restore', { backup: customBackup });
  const manifests = synth(chart);
  const scripts = (name: string) => findManifest(manifests, 'ConfigMap', `${name}-scripts`).data as Record<string, string>;
  const cron = (name: string) => findManifest(manifests, 'CronJob', name);
  const job = (name: string) => findManifest(manifests, 'Job', name);
  return { manifests, scripts, cron, job };
}

describeWithBinaries('backup and restore scripts pass shellcheck as POSIX sh (text from the synthesized ConfigMaps)', SHELLCHECK, () => {
  const { scripts } = synthesized();
  const all = { ...scripts('orders-backup'), ...scripts('orders-s3-restore') };
  test.each(Object.keys(all))('%s', (name) => {
    expect(shellcheck(all[name])).toBe('');
  });
});

describeWithBinaries('backup and restore round trips against real PostgreSQL 15 and S3', [
  [`${BIN}/postgres`, 'postgresql-15'], ['/usr/bin/shellcheck', 'shellcheck'], [AWS, 'awscli'],
], () => {
  const gen = synthesized();
  const dir = tempDirFor('postgres', 'backup-it-');
  const sockets = path.join(dir, 'sockets');
  const servers: { data: string; port: number }[] = [];
  let s3rver: ChildProcess | undefined;
  const s3Port = freePort();

  /** Writes a ConfigMap's scripts to a directory standing for the mount. */
  function scriptsDir(name: string): string {
    const target = path.join(dir, `${name}-scripts`);
    for (const [file, body] of Object.entries(gen.scripts(name))) writeShared(path.join(target, file), body, 0o755);
    return target;
  }

  /** initdb + start a server as postgres, password auth over TCP like the pod's Service. */
  function startServer(name: string): number {
    const data = path.join(dir, name);
    const port = freePort();
    writeShared(path.join(dir, 'pwfile'), PASSWORD);
    mustRunAs('postgres', `${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
    mustRunAs('postgres', `${BIN}/pg_ctl`, ['-D', data, '-w', '-l', path.join(dir, `${name}.log`), '-o', `-c listen_addresses=127.0.0.1 -k ${sockets} -p ${port}`, 'start']);
    servers.push({ data, port });
    return port;
  }

  const sql = (port: number, db: string, query: string) =>
    mustRunAs('postgres', `${BIN}/psql`, ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', sockets, '-p', String(port), '-U', 'postgres', '-d', db, '-c', query], { PGTZ: 'UTC' }).trim();

  /** Row count and md5 of every row (ordered by id) per table, and of every large object. */
  function checksums(port: number): Record<string, string> {
    const result: Record<string, string> = {};
    for (const table of ['items', 'documents']) {
      result[table] = sql(port, 'shop', `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY id)), '-') FROM ${table} t`);
    }
    result.largeObjects = sql(port, 'shop', "SELECT count(*) || ':' || coalesce(md5(string_agg(oid::text || '=' || md5(lo_get(oid)), '|' ORDER BY oid)), '-') FROM pg_largeobject_metadata");
    result.role = sql(port, 'postgres', "SELECT count(*) FROM pg_roles WHERE rolname = 'orders_app'");
    return result;
  }

  /** Runs a generated script as the image's user (postgres here) with the YAML's env plus overrides. */
  function runScript(scripts: string, file: string, container: Manifest, overrides: Record<string, string>) {
    return runAs('postgres', '/bin/sh', [path.join(scripts, file)], { ...literalEnv(container), SCRIPTS_DIR: scripts, TMPDIR: path.join(dir, 'tmp'), ...overrides });
  }
  const mustSucceed = (r: ReturnType<typeof runScript>) => {
    if (r.status !== 0) throw new Error(`exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  let source: number;
  let before: Record<string, string>;

  beforeAll(async () => {
    mustRunAs('postgres', 'mkdir', ['-p', sockets, path.join(dir, 'tmp')]);
    source = startServer('source');
    sql(source, 'postgres', "CREATE ROLE orders_app LOGIN PASSWORD 'app'");
    sql(source, 'postgres', 'CREATE DATABASE shop OWNER orders_app');
    sql(source, 'shop', `
      CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric(14,4), created timestamptz, tags text[], doc json, docb jsonb, blob bytea);
      INSERT INTO items (name, price, created, tags, doc, docb, blob)
      SELECT 'item ' || g || E' it''s "quoted" \\\\ back\\tslash ü€😀 ' || repeat('x', g % 50),
             (g * 1234.5678)::numeric(14,4) * CASE WHEN g % 3 = 0 THEN -1 ELSE 1 END,
             timestamptz '2024-01-31 03:00:00+01' + g * interval '1 hour 7 seconds',
             ARRAY['a' || g, 'b,c', NULL],
             json_build_object('n', g, 'nested', json_build_object('q', 'he said "hi"')),
             jsonb_build_object('n', g, 'list', jsonb_build_array(g, 'ü', null)),
             decode(md5(g::text) || '00ff0a0d', 'hex')
      FROM generate_series(1, 2000) g;
      INSERT INTO items (name, price, created, tags, doc, docb, blob) VALUES ('', NULL, NULL, NULL, NULL, NULL, NULL);
      CREATE TABLE documents (id serial PRIMARY KEY, body oid);
      INSERT INTO documents (body) SELECT lo_from_bytea(0, convert_to(repeat('large object ' || g || ' ü ', 5000), 'UTF8')) FROM generate_series(1, 5) g;
      ALTER TABLE items OWNER TO orders_app;
    `);
    before = checksums(source);

    // s3rver in its own process: the test process blocks in spawnSync while the CLI talks to it.
    const s3Dir = path.join(dir, 's3rver');
    fs.mkdirSync(s3Dir);
    const s3rverModule = path.dirname(require.resolve('s3rver/package.json'));
    s3rver = spawn(process.execPath, ['-e', `
      const S3rver = require(${JSON.stringify(s3rverModule)});
      new S3rver({ port: ${s3Port}, address: '127.0.0.1', directory: ${JSON.stringify(s3Dir)}, silent: true, configureBuckets: [{ name: 'backups' }] })
        .run().then(() => console.log('ready'));
    `], { stdio: 'ignore' });
    waitFor('s3rver', () => spawnSync('bash', ['-c', `</dev/tcp/127.0.0.1/${s3Port}`]).status === 0, 30_000);
  }, 180_000);

  afterAll(() => {
    s3rver?.kill();
    for (const s of servers) runAs('postgres', `${BIN}/pg_ctl`, ['-D', s.data, '-w', '-m', 'immediate', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pgEnv = (port: number) => ({ PGHOST: '127.0.0.1', PGPORT: String(port), PGPASSWORD: PASSWORD, PATH: `${BIN}:/usr/bin:/bin` });

  test('the source data covers the types a dump must carry', () => {
    expect(before.items).toMatch(/^2001:[0-9a-f]{32}$/);
    expect(before.largeObjects).toMatch(/^5:[0-9a-f]{32}$/);
    expect(before.role).toBe('1');
  });

  test('volume: the generated backup script dumps; the generated restore job restores the latest dump into a fresh server; checksums match', () => {
    const scripts = scriptsDir('orders-backup');
    const volume = tempDirFor('postgres', 'volume-');
    const backup = containerOf(gen.cron('orders-backup'), 'backup');
    const out = mustSucceed(runScript(scripts, 'backup.sh', backup, { ...pgEnv(source), BACKUP_DIR: volume, BACKUP_TIMESTAMP: '20240131T030000Z' }));
    expect(out).toMatch(/backup: wrote .*orders-db-20240131T030000Z\.sql\.gz/);
    expect(fs.readdirSync(volume)).toEqual(['orders-db-20240131T030000Z.sql.gz']);

    const fresh = startServer('restored-volume');
    const restoreJob = gen.job('orders-restore');
    const restoreScripts = scriptsDir('orders-restore');
    mustSucceed(runScript(restoreScripts, 'wait-for-database.sh', containerOf(restoreJob, 'wait-for-database'), pgEnv(fresh)));
    mustSucceed(runScript(restoreScripts, 'restore.sh', containerOf(restoreJob, 'restore'), { ...pgEnv(fresh), BACKUP_DIR: volume }));
    expect(checksums(fresh)).toEqual(before);
  }, 120_000);

  test('retention: after 5 backups with retention 3, exactly the 2 oldest dumps are gone and other files are untouched', () => {
    const scripts = scriptsDir('orders-backup');
    const volume = tempDirFor('postgres', 'retention-');
    const backup = containerOf(gen.cron('orders-backup'), 'backup');
    expect(literalEnv(backup).RETAIN_COUNT).toBe('3');
    writeShared(path.join(volume, 'notes.txt'), 'keep me');
    writeShared(path.join(volume, 'orders-db-archive.sql.gz'), 'not a timestamped dump');
    writeShared(path.join(volume, 'other-db-20200101T000000Z.sql.gz'), 'another database');
    // Out of order on purpose: age is read from the name, not from the run order.
    const stamps = ['20240103T030000Z', '20240101T030000Z', '20240105T030000Z', '20240102T030000Z', '20240104T030000Z'];
    for (const stamp of stamps) mustSucceed(runScript(scripts, 'backup.sh', backup, { ...pgEnv(source), BACKUP_DIR: volume, BACKUP_TIMESTAMP: stamp }));
    expect(fs.readdirSync(volume).sort()).toEqual([
      'notes.txt', 'orders-db-20240103T030000Z.sql.gz', 'orders-db-20240104T030000Z.sql.gz', 'orders-db-20240105T030000Z.sql.gz',
      'orders-db-archive.sql.gz', 'other-db-20200101T000000Z.sql.gz',
    ]);
  }, 120_000);

  test('a failed dump fails the job and leaves no file behind (no pipefail in POSIX sh)', () => {
    const scripts = scriptsDir('orders-backup');
    const volume = tempDirFor('postgres', 'failed-');
    const backup = containerOf(gen.cron('orders-backup'), 'backup');
    const result = runScript(scripts, 'backup.sh', backup, { ...pgEnv(source), PGPASSWORD: 'wrong', BACKUP_DIR: volume, BACKUP_TIMESTAMP: '20240131T030000Z' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/password authentication failed/);
    expect(fs.readdirSync(volume)).toEqual([]);
  });

  test('restore of a named dump, and a clear failure for a missing one', () => {
    const backupScripts = scriptsDir('orders-backup');
    const volume = tempDirFor('postgres', 'named-');
    const backup = containerOf(gen.cron('orders-backup'), 'backup');
    mustSucceed(runScript(backupScripts, 'backup.sh', backup, { ...pgEnv(source), BACKUP_DIR: volume, BACKUP_TIMESTAMP: '20240101T000000Z' }));
    sql(source, 'shop', "INSERT INTO items (name) VALUES ('after the first dump')");
    mustSucceed(runScript(backupScripts, 'backup.sh', backup, { ...pgEnv(source), BACKUP_DIR: volume, BACKUP_TIMESTAMP: '20240102T000000Z' }));
    sql(source, 'shop', "DELETE FROM items WHERE name = 'after the first dump'");

    const fresh = startServer('restored-named');
    const restore = containerOf(gen.job('orders-restore'), 'restore');
    const restoreScripts = scriptsDir('orders-restore');
    mustSucceed(runScript(restoreScripts, 'restore.sh', restore, { ...pgEnv(fresh), BACKUP_DIR: volume, DUMP_NAME: 'orders-db-20240101T000000Z.sql.gz' }));
    expect(checksums(fresh)).toEqual(before);
    const missing = runScript(restoreScripts, 'restore.sh', restore, { ...pgEnv(fresh), BACKUP_DIR: volume, DUMP_NAME: 'orders-db-20990101T000000Z.sql.gz' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no dump orders-db-20990101T000000Z\.sql\.gz/);
  }, 120_000);

  test('custom format, one database: pg_dump -Fc and pg_restore round trip into a fresh server', () => {
    const scripts = scriptsDir('shop-backup');
    const volume = tempDirFor('postgres', 'custom-');
    const backup = containerOf(gen.cron('shop-backup'), 'backup');
    expect(literalEnv(backup)).toMatchObject({ PG_DUMP_SCOPE: 'database', PG_DUMP_FORMAT: 'custom', DUMP_DATABASE: 'shop', DUMP_EXTENSION: '.dump' });
    mustSucceed(runScript(scripts, 'backup.sh', backup, { ...pgEnv(source), BACKUP_DIR: volume, BACKUP_TIMESTAMP: '20240131T030000Z' }));
    expect(fs.readdirSync(volume)).toEqual(['orders-db-shop-20240131T030000Z.dump']);

    const fresh = startServer('restored-custom');
    // A single-database dump carries no roles: the owner must exist where it is restored.
    sql(fresh, 'postgres', "CREATE ROLE orders_app LOGIN PASSWORD 'app'");
    const restoreScripts = scriptsDir('shop-restore');
    mustSucceed(runScript(restoreScripts, 'restore.sh', containerOf(gen.job('shop-restore'), 'restore'), { ...pgEnv(fresh), BACKUP_DIR: volume }));
    expect(checksums(fresh)).toEqual(before);
  }, 120_000);

  /** The credentials Secret as the pod mounts it: one file per key (with the trailing newline `echo | kubectl create secret` leaves). */
  function credentialsDir(accessKeyId: string, secretAccessKey: string): string {
    const target = tempDirFor('postgres', 's3-credentials-');
    writeShared(path.join(target, 'access-key-id'), `${accessKeyId}\n`);
    writeShared(path.join(target, 'secret-access-key'), `${secretAccessKey}\n`);
    return target;
  }

  test('S3: dump init container + generated upload with the AWS CLI to s3rver, then generated download + restore into a fresh server', () => {
    // No AWS_* credentials in the environment: the scripts must read the mounted files.
    const credentials = credentialsDir('S3RVER', 'S3RVER');
    const awsEnv = (home: string) => ({
      PATH: '/usr/bin:/bin', AWS_CLI: AWS, HOME: home, S3_CREDENTIALS_DIR: credentials, S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    });
    const run = (scripts: string, file: string, container: Manifest, env: Record<string, string>) => {
      const r = spawnSync('/bin/sh', [path.join(scripts, file)], { encoding: 'utf8', env: { ...literalEnv(container), SCRIPTS_DIR: scripts, ...env }, timeout: 120_000 });
      if (r.status !== 0) throw new Error(`${file} exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    const cron = gen.cron('orders-s3-backup');
    const scripts = scriptsDir('orders-s3-backup');
    const scratch = tempDirFor('postgres', 'scratch-');
    mustSucceed(runScript(scripts, 'backup.sh', containerOf(cron, 'dump'), { ...pgEnv(source), BACKUP_DIR: scratch, BACKUP_TIMESTAMP: '20240130T023000Z' }));
    const upload = containerOf(cron, 'upload');
    expect(literalEnv(upload)).toMatchObject({ S3_BUCKET: 'backups', S3_PREFIX: 'postgres/orders', S3_ADDRESSING_STYLE: 'path' });
    run(scripts, 'upload.sh', upload, { ...awsEnv(tempDirFor('postgres', 'home-')), BACKUP_DIR: scratch });
    // A newer dump: "latest" must pick it, by name, over the older one.
    mustSucceed(runScript(scripts, 'backup.sh', containerOf(cron, 'dump'), { ...pgEnv(source), BACKUP_DIR: scratch, BACKUP_TIMESTAMP: '20240131T023000Z' }));
    expect(run(scripts, 'upload.sh', upload, { ...awsEnv(tempDirFor('postgres', 'home-')), BACKUP_DIR: scratch })).toMatch(/orders-db-20240131T023000Z\.sql\.gz to s3:\/\/backups\/postgres\/orders\//);
    const listing = spawnSync(AWS, ['--endpoint-url', `http://127.0.0.1:${s3Port}`, 's3', 'ls', 's3://backups/postgres/orders/'], {
      encoding: 'utf8', env: { ...awsEnv(tempDirFor('postgres', 'home-')), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    });
    expect(listing.stdout).toMatch(/orders-db-20240130T023000Z\.sql\.gz/);
    expect(listing.stdout).toMatch(/orders-db-20240131T023000Z\.sql\.gz/);

    const job = gen.job('orders-s3-restore');
    const restoreScripts = scriptsDir('orders-s3-restore');
    const downloaded = tempDirFor('postgres', 'download-');
    const out = run(restoreScripts, 'download.sh', containerOf(job, 'download'), { ...awsEnv(tempDirFor('postgres', 'home-')), BACKUP_DIR: downloaded });
    expect(out).toMatch(/orders-db-20240131T023000Z\.sql\.gz/);
    spawnSync('chown', ['-R', 'postgres:', downloaded]);
    expect(fs.readdirSync(downloaded)).toEqual(['orders-db-20240131T023000Z.sql.gz']);

    const fresh = startServer('restored-s3');
    mustSucceed(runScript(restoreScripts, 'wait-for-database.sh', containerOf(job, 'wait-for-database'), pgEnv(fresh)));
    mustSucceed(runScript(restoreScripts, 'restore.sh', containerOf(job, 'restore'), { ...pgEnv(fresh), BACKUP_DIR: downloaded }));
    expect(checksums(fresh)).toEqual(before);
  }, 180_000);

  test('S3 credentials: the pod env carries none; a missing credentials file, or a wrong key in it, fails the upload', () => {
    const cron = gen.cron('orders-s3-backup');
    const upload = containerOf(cron, 'upload');
    expect(literalEnv(upload).S3_CREDENTIALS_DIR).toBe('/var/run/secrets/s3-credentials');
    expect((upload.env as Manifest[]).map((e) => e.name)).not.toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID']));
    expect((upload.env as Manifest[]).map((e) => e.name)).not.toEqual(expect.arrayContaining(['AWS_SECRET_ACCESS_KEY']));
    const scripts = scriptsDir('orders-s3-backup');
    const scratch = tempDirFor('postgres', 'scratch-');
    writeShared(path.join(scratch, 'orders-db-20240201T023000Z.sql.gz'), 'not really a dump');
    const run = (credentials: string) => spawnSync('/bin/sh', [path.join(scripts, 'upload.sh')], {
      encoding: 'utf8', timeout: 120_000,
      env: {
        ...literalEnv(upload), SCRIPTS_DIR: scripts, BACKUP_DIR: scratch, PATH: '/usr/bin:/bin', AWS_CLI: AWS, HOME: tempDirFor('postgres', 'home-'),
        S3_CREDENTIALS_DIR: credentials, S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      },
    });
    const missing = run(path.join(dir, 'no-such-dir'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/s3: .*no-such-dir\/access-key-id is missing, unreadable or empty \(the credentials Secret is mounted there\)/);
    // s3rver checks the access key id (it does not verify SigV4 signatures): the file's value is what is sent.
    const wrong = run(credentialsDir('NOT-S3RVER', 'S3RVER'));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/InvalidAccessKeyId/);
  }, 120_000);

  test('the wait init container gives up on a server that never comes up', () => {
    const restoreScripts = scriptsDir('orders-restore');
    const result = runScript(restoreScripts, 'wait-for-database.sh', containerOf(gen.job('orders-restore'), 'wait-for-database'), {
      ...pgEnv(freePort()), WAIT_TIMEOUT_SECONDS: '2', WAIT_INTERVAL_SECONDS: '1',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/does not accept connections after 2s/);
  });
});
