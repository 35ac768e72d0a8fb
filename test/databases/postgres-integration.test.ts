/**
 * The PostgresCluster's shell and settings executed against real PostgreSQL 15 binaries (Debian
 * package postgresql-15). Everything the pods run is taken from the synthesized YAML (scripts
 * ConfigMap, settings ConfigMap, probe and preStop commands, init container env); only hosts,
 * ports and paths are overridden through the environment variables the scripts read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { PostgresCluster, testing } from '../../lib';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { postgresPair } from '../support/postgres';
import { runAs, shellcheck, waitFor, writeShared } from '../support/run';

const BIN = '/usr/lib/postgresql/15/bin';
const REPLICATION_PASSWORD = "s3cret 'with' quotes";
const SUPERUSER_PASSWORD = 'superuser-secret';

function synthesizedCluster() {
  const chart = new Chart(Testing.app(), 'it', { namespace: 'shop' });
  new PostgresCluster(chart, 'orders-db', { replicas: 2, settings: { maxConnections: 42, parameters: { application_name: 'it' } } });
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const scripts = testing.Harness.findManifest(manifests, 'ConfigMap', 'orders-db-scripts').data as Record<string, string>;
  const settings = testing.Harness.findManifest(manifests, 'ConfigMap', 'orders-db-config').data as Record<string, string>;
  const pod = testing.Harness.findManifest(manifests, 'StatefulSet', 'orders-db').spec.template.spec;
  const server = pod.containers.find((c: { name: string }) => c.name === 'postgres');
  const init = pod.initContainers.find((c: { name: string }) => c.name === 'bootstrap-replica');
  return { scripts, settings, server, init };
}

describeWithBinaries('embedded scripts pass shellcheck', SHELLCHECK, () => {
  const { scripts } = synthesizedCluster();
  test.each(Object.keys(scripts))('%s', (name) => {
    expect(shellcheck(scripts[name])).toBe('');
  });
});

describeWithBinaries('PostgresCluster against real PostgreSQL 15', [[`${BIN}/postgres`, 'postgresql-15'], ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const cluster = synthesizedCluster();
  const { dir, primaryPort, replicaPort, socketDir, settingsDir, scriptsDir, primaryData, replicaData, as, sql } = postgresPair('pg-it-');
  const scriptEnv = { REPLICATION_USER: 'replicator', REPLICATION_PASSWORD, SCRIPTS_DIR: scriptsDir };

  beforeAll(() => {
    for (const [name, body] of Object.entries(cluster.scripts)) writeShared(path.join(scriptsDir, name), body, 0o755);
    for (const [name, body] of Object.entries(cluster.settings)) writeShared(path.join(settingsDir, name), body);
    as('mkdir', ['-p', socketDir, path.dirname(primaryData), path.dirname(replicaData)]);

    // What the image's entrypoint does on an empty volume: initdb with the superuser password,
    // "host all all all scram-sha-256", then the initdb.d scripts against a socket-only server.
    writeShared(path.join(dir, 'pwfile'), SUPERUSER_PASSWORD);
    as(`${BIN}/initdb`, ['-D', primaryData, '-U', 'postgres', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256']);
    fs.appendFileSync(path.join(primaryData, 'pg_hba.conf'), 'host all all all scram-sha-256\n');
    as(`${BIN}/pg_ctl`, ['-D', primaryData, '-w', '-l', path.join(dir, 'primary-init.log'), '-o', `-c listen_addresses='' -k ${socketDir} -p ${primaryPort}`, 'start']);
    as('/bin/sh', [path.join(scriptsDir, 'primary-init.sh')], {
      ...scriptEnv, PGDATA: primaryData, PGHOST: socketDir, PGPORT: String(primaryPort), POSTGRES_USER: 'postgres', SETTINGS_DIR: settingsDir,
    });
    as(`${BIN}/pg_ctl`, ['-D', primaryData, '-w', '-m', 'fast', 'stop']);
    // Restart as the pod does: the settings (include_dir) and pg_hba line now apply.
    as(`${BIN}/pg_ctl`, ['-D', primaryData, '-w', '-l', path.join(dir, 'primary.log'), '-o', `-c listen_addresses=127.0.0.1 -k ${socketDir} -p ${primaryPort}`, 'start']);
  }, 120_000);

  afterAll(() => {
    for (const data of [replicaData, primaryData]) runAs('postgres', `${BIN}/pg_ctl`, ['-D', data, '-w', '-m', 'immediate', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the settings ConfigMap is included by the server', () => {
    expect(sql(primaryPort, 'SHOW max_connections')).toBe('42');
    expect(sql(primaryPort, 'SHOW wal_level')).toBe('replica');
  });

  test('the replication role exists and may replicate', () => {
    expect(sql(primaryPort, "SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'")).toBe('t');
  });

  test('the bootstrap script does nothing on ordinal 0', () => {
    const out = as('/bin/sh', [path.join(scriptsDir, 'bootstrap-replica.sh')], { ...scriptEnv, POD_NAME: 'orders-db-0', PGDATA: primaryData, PRIMARY_HOST: '127.0.0.1', PGPORT: String(primaryPort) });
    expect(out).toMatch(/is the primary; nothing to do/);
  });

  test('a wrong replication password cannot clone the primary', () => {
    const result = runAs('postgres', '/bin/sh', [path.join(scriptsDir, 'bootstrap-replica.sh')], {
      ...scriptEnv, REPLICATION_PASSWORD: 'wrong', POD_NAME: 'orders-db-1', PGDATA: path.join(dir, 'intruder', 'pgdata'), PRIMARY_HOST: '127.0.0.1', PGPORT: String(primaryPort),
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/password authentication failed/);
  });

  test('a replica bootstraps with the generated init script and streams rows written on the primary', () => {
    // The init container's environment from the YAML, with host, port and path overridden.
    const initEnvNames = cluster.init.env.map((e: { name: string }) => e.name);
    expect(initEnvNames).toEqual(['POD_NAMESPACE', 'POD_NAME', 'SCRIPTS_DIR', 'PRIMARY_HOST', 'PGPORT', 'PGDATA', 'REPLICATION_USER', 'REPLICATION_PASSWORD']);
    const out = as('/bin/sh', [path.join(scriptsDir, 'bootstrap-replica.sh')], {
      ...scriptEnv, POD_NAME: 'orders-db-1', PGDATA: replicaData, PRIMARY_HOST: '127.0.0.1', PGPORT: String(primaryPort),
    });
    expect(out).toMatch(/orders-db-1 cloned from 127.0.0.1/);
    expect(fs.existsSync(path.join(replicaData, 'standby.signal'))).toBe(true);
    const autoConf = fs.readFileSync(path.join(replicaData, 'postgresql.auto.conf'), 'utf8');
    expect(autoConf).toContain(`primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=replicator application_name=orders_db_1'`);
    expect(autoConf).not.toContain(REPLICATION_PASSWORD);

    // The replica server gets PGPASSWORD from the Secret, as in the pod.
    as(`${BIN}/pg_ctl`, ['-D', replicaData, '-w', '-l', path.join(dir, 'replica.log'), '-o', `-c listen_addresses=127.0.0.1 -k ${socketDir} -p ${replicaPort}`, 'start'], { PGPASSWORD: REPLICATION_PASSWORD });
    expect(sql(replicaPort, 'SELECT pg_is_in_recovery()')).toBe('t');

    sql(primaryPort, "CREATE TABLE orders (id serial PRIMARY KEY, item text); INSERT INTO orders (item) SELECT 'item ' || g FROM generate_series(1, 500) g");
    waitFor('rows on the replica', () => runAs('postgres', `${BIN}/psql`, ['-X', '-At', '-h', socketDir, '-p', String(replicaPort), '-U', 'postgres', '-d', 'postgres', '-c', 'SELECT count(*) FROM orders']).stdout.trim() === '500');
    expect(sql(replicaPort, "SELECT item FROM orders WHERE id = 500")).toBe('item 500');
    expect(sql(primaryPort, "SELECT application_name || ':' || state FROM pg_stat_replication")).toBe('orders_db_1:streaming');

    const again = as('/bin/sh', [path.join(scriptsDir, 'bootstrap-replica.sh')], { ...scriptEnv, POD_NAME: 'orders-db-1', PGDATA: replicaData, PRIMARY_HOST: '127.0.0.1', PGPORT: String(primaryPort) });
    expect(again).toMatch(/holds a replica and slot orders_db_1 is reserved on the primary; resuming/);
  }, 120_000);

  test('probe commands succeed against a live server and fail against a stopped one; preStop stops it', () => {
    const readiness: string[] = cluster.server.readinessProbe.exec.command.map((a: string) => a.replace('/opt/cdk8s-workloads', scriptsDir));
    const liveness: string[] = cluster.server.livenessProbe.exec.command.map((a: string) => a.replace('/opt/cdk8s-workloads', scriptsDir));
    const preStop: string[] = cluster.server.lifecycle.preStop.exec.command.map((a: string) => (a === '/var/lib/postgresql/data/pgdata' ? replicaData : a));
    const probeEnv = { PGPORT: String(replicaPort), PGHOST: socketDir };
    const status = (argv: string[]) => runAs('postgres', argv[0].startsWith('/') ? argv[0] : `${BIN}/${argv[0]}`, argv.slice(1), probeEnv).status;

    expect(status(readiness)).toBe(0);
    expect(status(liveness)).toBe(0);
    expect(status(preStop)).toBe(0);
    expect(status(readiness)).not.toBe(0);
    expect(status(liveness)).not.toBe(0);
  }, 120_000);
});
