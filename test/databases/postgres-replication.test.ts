/**
 * Replication slots, slot invalidation and replica readiness of PostgresCluster on real
 * PostgreSQL 15 (Debian package postgresql-15). The scripts, settings and server environment
 * come from the synthesized YAML; the test shrinks the WAL bounds through the cluster's own
 * props (walKeepSize, maxSlotWalKeepSize, parameters.max_wal_size) so a few tens of MB of WAL
 * cross them, and overrides only hosts, ports and paths.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { PostgresCluster, testing } from '../../lib';
import { describeWithBinaries } from '../support/binaries';
import { postgresPair } from '../support/postgres';
import { runAs, waitFor, writeShared } from '../support/run';

const BIN = '/usr/lib/postgresql/15/bin';
const REPLICATION_PASSWORD = 'replication-secret';
const MiB = 1024 * 1024;

function synthesizedCluster() {
  const chart = new Chart(Testing.app(), 'it', { namespace: 'shop' });
  new PostgresCluster(chart, 'orders-db', {
    replicas: 2,
    storage: Size.gibibytes(1),
    maxReplicaLag: Duration.seconds(3),
    settings: {
      walKeepSize: Size.mebibytes(16),
      maxSlotWalKeepSize: Size.mebibytes(64),
      // Checkpoints (which remove WAL and invalidate slots) after every 32MB; quick reconnects.
      parameters: { max_wal_size: '32MB', min_wal_size: '32MB', wal_retrieve_retry_interval: '1s' },
    },
  });
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const scripts = testing.Harness.findManifest(manifests, 'ConfigMap', 'orders-db-scripts').data as Record<string, string>;
  const settings = testing.Harness.findManifest(manifests, 'ConfigMap', 'orders-db-config').data as Record<string, string>;
  const server = testing.Harness.findManifest(manifests, 'StatefulSet', 'orders-db').spec.template.spec.containers[0];
  const literalEnv: Record<string, string> = Object.fromEntries(server.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
  return { scripts, settings, server, literalEnv };
}

describeWithBinaries('PostgreSQL replication slots and replica readiness on real PostgreSQL 15', [[`${BIN}/postgres`, 'postgresql-15']], () => {
  const cluster = synthesizedCluster();
  const { dir, primaryPort, replicaPort, socketDir, settingsDir, scriptsDir, primaryData, replicaData, as, sql, trySql } = postgresPair('pg-slots-');
  const pgCtl = (data: string, action: 'start' | 'stop', log = 'server.log', env: Record<string, string> = {}) => (action === 'start'
    ? as(`${BIN}/pg_ctl`, ['-D', data, '-w', '-l', path.join(dir, log), '-o', `-c listen_addresses=127.0.0.1 -k ${socketDir} -p ${data === primaryData ? primaryPort : replicaPort}`, 'start'], env)
    : as(`${BIN}/pg_ctl`, ['-D', data, '-w', '-m', 'fast', 'stop']));
  const startReplica = () => pgCtl(replicaData, 'start', 'replica.log', { PGPASSWORD: REPLICATION_PASSWORD });
  const bootstrap = () => as('/bin/sh', [path.join(scriptsDir, 'bootstrap-replica.sh')], {
    REPLICATION_USER: 'replicator', REPLICATION_PASSWORD, SCRIPTS_DIR: scriptsDir, POD_NAME: 'orders-db-1', PGDATA: replicaData, PRIMARY_HOST: '127.0.0.1', PGPORT: String(primaryPort),
  });
  /** The probe commands of the YAML, run with the server container's literal env (MAX_REPLICA_LAG_SECONDS 3). */
  const probe = (kind: 'readinessProbe' | 'livenessProbe', port: number, podName = port === primaryPort ? 'orders-db-0' : 'orders-db-1') => {
    const argv: string[] = cluster.server[kind].exec.command.map((a: string) => a.replace('/opt/cdk8s-workloads', scriptsDir));
    const result = runAs('postgres', argv[0], argv.slice(1), { ...cluster.literalEnv, POD_NAME: podName, PGPORT: String(port), PGHOST: socketDir });
    return { ready: result.status === 0, message: result.stdout.trim() };
  };
  const slot = () => sql(primaryPort, "SELECT wal_status || CASE WHEN active THEN ' t' ELSE ' f' END FROM pg_replication_slots WHERE slot_name = 'orders_db_1'");
  /** Inserts ~1KB rows on the primary until at least `mebibytes` of WAL were written; returns the WAL bytes written. */
  const writeWal = (mebibytes: number) => {
    const start = sql(primaryPort, 'SELECT pg_current_wal_lsn()');
    let written = 0;
    while (written < mebibytes * MiB) {
      sql(primaryPort, "INSERT INTO filler (pad) SELECT repeat(md5(g::text), 30) FROM generate_series(1, 8000) g");
      written = Number(sql(primaryPort, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${start}')`));
    }
    sql(primaryPort, 'SELECT pg_switch_wal()');
    sql(primaryPort, 'CHECKPOINT');
    return written;
  };
  const rows = (port: number) => trySql(port, 'SELECT count(*) FROM filler');
  const timings: Record<string, string> = {};

  beforeAll(() => {
    for (const [name, body] of Object.entries(cluster.scripts)) writeShared(path.join(scriptsDir, name), body, 0o755);
    for (const [name, body] of Object.entries(cluster.settings)) writeShared(path.join(settingsDir, name), body);
    as('mkdir', ['-p', socketDir, path.dirname(primaryData), path.dirname(replicaData)]);
    // The image's entrypoint on an empty volume: initdb, "host all all all", initdb.d scripts.
    writeShared(path.join(dir, 'pwfile'), 'superuser-secret');
    as(`${BIN}/initdb`, ['-D', primaryData, '-U', 'postgres', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256']);
    fs.appendFileSync(path.join(primaryData, 'pg_hba.conf'), 'host all all all scram-sha-256\n');
    as(`${BIN}/pg_ctl`, ['-D', primaryData, '-w', '-l', path.join(dir, 'primary-init.log'), '-o', `-c listen_addresses='' -k ${socketDir} -p ${primaryPort}`, 'start']);
    as('/bin/sh', [path.join(scriptsDir, 'primary-init.sh')], {
      REPLICATION_USER: 'replicator', REPLICATION_PASSWORD, PGDATA: primaryData, PGHOST: socketDir, PGPORT: String(primaryPort), POSTGRES_USER: 'postgres', SETTINGS_DIR: settingsDir,
    });
    as(`${BIN}/pg_ctl`, ['-D', primaryData, '-w', '-m', 'fast', 'stop']);
    pgCtl(primaryData, 'start', 'primary.log');
    sql(primaryPort, 'CREATE TABLE filler (id bigserial PRIMARY KEY, pad text)');
  }, 120_000);

  afterAll(() => {
    for (const data of [replicaData, primaryData]) runAs('postgres', `${BIN}/pg_ctl`, ['-D', data, '-w', '-m', 'immediate', 'stop']);
    // eslint-disable-next-line no-console
    console.log(`replication timings: ${JSON.stringify(timings)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the settings bound the WAL a slot keeps and enable hot_standby_feedback', () => {
    expect(sql(primaryPort, 'SHOW max_slot_wal_keep_size')).toBe('64MB');
    expect(sql(primaryPort, 'SHOW wal_keep_size')).toBe('16MB');
    expect(sql(primaryPort, 'SHOW hot_standby_feedback')).toBe('on');
    expect(cluster.literalEnv.MAX_REPLICA_LAG_SECONDS).toBe('3');
  });

  test('the clone creates the replica\'s slot and streams through it; the replica is ready once caught up', () => {
    expect(bootstrap()).toMatch(/orders-db-1 cloned from 127.0.0.1:\d+ with replication slot orders_db_1/);
    expect(fs.readFileSync(path.join(replicaData, 'postgresql.auto.conf'), 'utf8')).toContain("primary_slot_name = 'orders_db_1'");
    expect(probe('readinessProbe', primaryPort).ready).toBe(true);
    // A server out of recovery is a primary whatever its ordinal: no replication check.
    expect(probe('readinessProbe', primaryPort, 'orders-db-1').ready).toBe(true);
    startReplica();
    waitFor('the replica streaming through its slot', () => slot() === 'reserved t');
    waitFor('the replica ready', () => probe('readinessProbe', replicaPort).ready);
    expect(sql(replicaPort, 'SELECT status FROM pg_stat_wal_receiver')).toBe('streaming');
  }, 120_000);

  test('readiness: a replica whose WAL receiver is down is not ready, yet alive; ready again when the primary is back', () => {
    pgCtl(primaryData, 'stop');
    waitFor('the replica not ready', () => !probe('readinessProbe', replicaPort).ready);
    const { message } = probe('readinessProbe', replicaPort);
    expect(message).toMatch(/^not ready: WAL receiver (not running|starting|waiting|restarting|stopping|stopped), the replica does not stream/);
    expect(probe('livenessProbe', replicaPort).ready).toBe(true);
    expect(probe('readinessProbe', primaryPort).ready).toBe(false);
    pgCtl(primaryData, 'start', 'primary.log');
    const started = Date.now();
    waitFor('the replica ready again', () => probe('readinessProbe', replicaPort).ready);
    timings.readyAfterPrimaryRestartMs = String(Date.now() - started);
  }, 120_000);

  test('readiness: a replica that replays more than maxReplicaLag behind is not ready; ready once it catches up', () => {
    sql(primaryPort, "INSERT INTO filler (pad) VALUES ('before the pause')");
    waitFor('the row on the replica', () => rows(replicaPort) === rows(primaryPort));
    sql(replicaPort, 'SELECT pg_wal_replay_pause()');
    sql(primaryPort, "INSERT INTO filler (pad) VALUES ('while paused')");
    // Received but not replayed: lag is the age of the last replayed transaction.
    waitFor('the replica not ready', () => !probe('readinessProbe', replicaPort).ready, 20_000);
    const { message } = probe('readinessProbe', replicaPort);
    expect(message).toMatch(/^not ready: replica \d+s behind the primary \(at most 3s\)$/);
    timings.lagSeen = message;
    expect(Number(/(\d+)s behind/.exec(message)![1])).toBeGreaterThan(3);
    expect(probe('livenessProbe', replicaPort).ready).toBe(true);
    sql(replicaPort, 'SELECT pg_wal_replay_resume()');
    waitFor('the replica ready', () => probe('readinessProbe', replicaPort).ready);
    expect(rows(replicaPort)).toBe(rows(primaryPort));
  }, 120_000);

  test('a stopped replica catches up through its slot after more WAL than wal_keep_size was written', () => {
    pgCtl(replicaData, 'stop');
    waitFor('the slot inactive', () => slot().endsWith(' f'));
    const written = writeWal(40);
    timings.walWrittenWhileStoppedMiB = (written / MiB).toFixed(1);
    expect(written).toBeGreaterThan(16 * MiB);
    // The slot alone keeps the WAL the replica needs: it is further behind than wal_keep_size ...
    const behind = Number(sql(primaryPort, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = 'orders_db_1'"));
    expect(behind).toBeGreaterThan(16 * MiB);
    expect(behind).toBeLessThan(64 * MiB);
    expect(slot()).toMatch(/^(reserved|extended) f$/);
    // ... and the segment holding its restart point is still in pg_wal after the checkpoint.
    expect(sql(primaryPort, "SELECT count(*) FROM pg_ls_waldir() WHERE name = (SELECT pg_walfile_name(restart_lsn) FROM pg_replication_slots WHERE slot_name = 'orders_db_1')")).toBe('1');

    expect(bootstrap()).toMatch(/holds a replica and slot orders_db_1 is (reserved|extended) on the primary; resuming/);
    const started = Date.now();
    startReplica();
    waitFor('the replica caught up', () => rows(replicaPort) === rows(primaryPort) && probe('readinessProbe', replicaPort).ready, 60_000);
    timings.catchUpMs = String(Date.now() - started);
    expect(slot()).toBe('reserved t');
  }, 180_000);

  test('past max_slot_wal_keep_size the slot is invalidated, the WAL freed, and the replica re-clones itself', () => {
    pgCtl(replicaData, 'stop');
    waitFor('the slot inactive', () => slot().endsWith(' f'));
    const written = writeWal(100);
    timings.walWrittenPastBoundMiB = (written / MiB).toFixed(1);
    waitFor('the slot invalidated', () => {
      sql(primaryPort, 'CHECKPOINT');
      return slot() === 'lost f';
    }, 30_000);
    // A dead (or scaled-away) replica no longer pins WAL: pg_wal is back within the bounds.
    const walBytes = Number(sql(primaryPort, 'SELECT sum(size) FROM pg_ls_waldir()'));
    timings.pgWalAfterInvalidationMiB = (walBytes / MiB).toFixed(1);
    expect(walBytes).toBeLessThan((64 + 32 + 16) * MiB);

    const started = Date.now();
    const out = bootstrap();
    expect(out).toMatch(/slot orders_db_1 is lost on the primary, the WAL this replica needs is gone; moving .* aside and cloning again/);
    expect(out).toMatch(/cloned from 127.0.0.1:\d+ with replication slot orders_db_1/);
    expect(fs.existsSync(`${replicaData}.invalidated`)).toBe(false);
    startReplica();
    waitFor('the re-cloned replica caught up', () => rows(replicaPort) === rows(primaryPort) && probe('readinessProbe', replicaPort).ready, 60_000);
    timings.recloneMs = String(Date.now() - started);
    expect(slot()).toBe('reserved t');
  }, 180_000);
});
