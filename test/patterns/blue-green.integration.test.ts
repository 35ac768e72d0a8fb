/**
 * The blue-green migration scripts (text and literal env from the synthesized ConfigMap and Jobs)
 * against real PostgreSQL 15 servers (Debian postgresql-15; Debian here has no PostgreSQL 16, so
 * both colors run 15), while a writer keeps inserting as the application role. Only hosts, ports
 * and passwords are overridden, through the variables the scripts read.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SMOKE_CHECK } from '../../examples/blue-green';
import { BlueGreenColor, MigrationStrategy } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { freePort, isRoot, mustRunAs, runAs, shellcheck, tempDirFor, writeShared } from '../support/run';
import { blueGreenChart, literalEnv, mainContainer, scriptsOf, synthBlueGreen } from './support';

const BIN = '/usr/lib/postgresql/15/bin';
const PASSWORD = "su'per pw";
const APP_PASSWORD = 'app';

const logical = synthBlueGreen(blueGreenChart().chart);
/** A user step as a user would write it: plain psql, passwords read from the mounted files. */
const USER_STEP_SCRIPT = `set -eu
src=$(PGPASSWORD="$(cat "$SOURCE_PASSWORD_FILE")" psql -X -At -v ON_ERROR_STOP=1 -h "$SOURCE_HOST" -p "$SOURCE_PORT" -U "$SOURCE_USER" -d "$MIGRATE_DATABASE" -c 'SELECT count(*) FROM customers')
PGPASSWORD="$(cat "$TARGET_PASSWORD_FILE")" psql -X -At -v ON_ERROR_STOP=1 -h "$TARGET_HOST" -p "$TARGET_PORT" -U "$TARGET_USER" -d "$MIGRATE_DATABASE" \
  -c 'CREATE TABLE IF NOT EXISTS user_step_audit (source_customers bigint, note text)' -c "INSERT INTO user_step_audit VALUES ($src, '$AUDIT_NOTE')"
echo "user step: $src customers on the source"`;
const withUserStep = synthBlueGreen(blueGreenChart({ extra: { userStep: { image: 'postgres:16.4', command: ['/bin/sh', '-c', USER_STEP_SCRIPT], env: { AUDIT_NOTE: 'from the step' } } } }).chart);
const reverseStrategy = MigrationStrategy.logicalReplication({ database: 'orders', appRole: 'orders_app', reverseReplication: true });
const reverseBlue = synthBlueGreen(blueGreenChart({ strategy: reverseStrategy }).chart);
const reverseGreen = synthBlueGreen(blueGreenChart({ strategy: reverseStrategy, active: BlueGreenColor.GREEN }).chart);
const dumpRestore = synthBlueGreen(blueGreenChart({ strategy: MigrationStrategy.dumpRestore({ appRole: 'orders_app', database: 'orders' }) }).chart);

describeWithBinaries('the migration scripts pass shellcheck as POSIX sh (text from the synthesized ConfigMap)', SHELLCHECK, () => {
  const scripts = scriptsOf(logical);
  test.each(Object.keys(scripts))('%s', (name) => {
    expect(shellcheck(scripts[name])).toBe('');
  });
});

describeWithBinaries('blue-green cutover on real PostgreSQL 15 servers with a writer running', [[`${BIN}/postgres`, 'postgresql-15'], ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const dir = tempDirFor('postgres', 'bluegreen-it-');
  const sockets = path.join(dir, 'sockets');
  const servers: string[] = [];
  const scriptsDir = path.join(dir, 'scripts');
  let writer: ChildProcess | undefined;

  function startServer(name: string): number {
    const data = path.join(dir, name);
    writeShared(path.join(dir, 'pwfile'), PASSWORD);
    mustRunAs('postgres', `${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
    // freePort() guesses: a port another test on this shared machine took makes the start fail; try another.
    const log = path.join(dir, `${name}.log`);
    for (let attempt = 1; ; attempt++) {
      const port = freePort();
      const start = runAs('postgres', `${BIN}/pg_ctl`, ['-D', data, '-w', '-l', log, '-o', `-c listen_addresses=127.0.0.1 -k ${sockets} -p ${port} -c wal_level=logical`, 'start']);
      if (start.status === 0) {
        servers.push(data);
        return port;
      }
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-1500) : '(no log)';
      if (attempt >= 3 || !/could not (bind|create listen)|already in use/i.test(tail)) throw new Error(`${name}: pg_ctl start exited ${start.status}:\n${start.stdout}${start.stderr}\nserver log:\n${tail}`);
    }
  }
  const sql = (port: number, db: string, query: string) =>
    mustRunAs('postgres', `${BIN}/psql`, ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', sockets, '-p', String(port), '-U', 'postgres', '-d', db, '-c', query]).trim();
  const appInsert = (port: number) => runAs('postgres', `${BIN}/psql`, ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'orders_app', '-d', 'orders',
    '-c', "INSERT INTO items (payload) VALUES ('probe') RETURNING id"], { PGPASSWORD: APP_PASSWORD });

  /** Runs a container's script as the image's user with the YAML's literal env plus connections. */
  function run(manifests: Manifest[], job: string, container: string, overrides: Record<string, string>) {
    const c = mainContainer(findManifest(manifests, 'Job', job), container);
    const script = c.command[1].split('/').pop();
    return runAs('postgres', '/bin/sh', [path.join(scriptsDir, script)], {
      ...literalEnv(c), SCRIPTS_DIR: scriptsDir, TMPDIR: path.join(dir, 'tmp'), ...overrides,
    });
  }
  const ok = (r: ReturnType<typeof runAs>) => {
    if (r.status !== 0) throw new Error(`exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const conn = (prefix: string, port: number) => ({
    [`${prefix}_HOST`]: '127.0.0.1', [`${prefix}_PORT`]: String(port), [`${prefix}_PASSWORD`]: PASSWORD,
  });
  const pair = (source: number, target: number) => ({ ...conn('SOURCE', source), ...conn('TARGET', target), SUBSCRIPTION_SOURCE_HOST: '127.0.0.1', SUBSCRIPTION_TARGET_HOST: '127.0.0.1' });

  /** The application: inserts in a loop through "the Service" (a file holding the port), one connection per insert. */
  function startWriter(serviceFile: string, log: string): ChildProcess {
    const loop = `
      i=0
      while [ ! -f "${dir}/stop" ]; do
        i=$((i + 1)); port=$(cat "${serviceFile}")
        if out=$(PGPASSWORD=${APP_PASSWORD} PGCONNECT_TIMEOUT=2 ${BIN}/psql -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U orders_app -d orders \\
             -c "INSERT INTO items (payload) VALUES ('writer $i') RETURNING id" 2>&1); then
          echo "ack $port $(echo "$out" | head -n 1) $(date +%s%3N)" >> "${log}"
        else
          echo "refused $port $(date +%s%3N) $(echo "$out" | tr '\\n' ' ')" >> "${log}"
          sleep 0.05
        fi
      done`;
    return spawn('sh', ['-c', loop], { stdio: 'ignore' });
  }
  const readLog = (log: string) => fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' '));

  /** A server with the orders database, its three tables and the application role. */
  function seeded(name: string): number {
    const port = startServer(name);
    sql(port, 'postgres', `CREATE ROLE orders_app LOGIN PASSWORD '${APP_PASSWORD}'`);
    sql(port, 'postgres', 'CREATE DATABASE orders OWNER orders_app');
    mustRunAs('postgres', `${BIN}/psql`, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'orders_app', '-d', 'orders', '-c', `
      CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL, created timestamptz NOT NULL DEFAULT now());
      CREATE TABLE customers (id serial PRIMARY KEY, name text, balance numeric(12,2), tags text[], doc jsonb);
      CREATE TABLE events (at timestamptz, kind text, amount float8);
      INSERT INTO items (payload) SELECT 'seed ' || g || repeat('x', g % 40) FROM generate_series(1, 20000) g;
      INSERT INTO customers (name, balance, tags, doc) SELECT 'c' || g || E' ü\\'s', g * 1.5, ARRAY['a', NULL], jsonb_build_object('g', g) FROM generate_series(1, 3000) g;
      INSERT INTO events SELECT timestamptz '2024-01-01' + g * interval '1 min', 'k' || (g % 7), g / 3.0 FROM generate_series(1, 5000) g;
    `], { PGPASSWORD: APP_PASSWORD });
    return port;
  }

  let v1: number;
  beforeAll(() => {
    mustRunAs('postgres', 'mkdir', ['-p', sockets, path.join(dir, 'tmp')]);
    for (const [file, body] of Object.entries(scriptsOf(logical))) writeShared(path.join(scriptsDir, file), body, 0o755);
    v1 = seeded('v1');
  }, 120_000);

  afterAll(() => {
    fs.writeFileSync(path.join(dir, 'stop'), '');
    writer?.kill();
    for (const data of servers) runAs('postgres', `${BIN}/pg_ctl`, ['-D', data, '-w', '-m', 'immediate', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('logical replication: replicate, cut over under load, flip, roll back', () => {
    const v2 = startServer('v2');
    const service = writeShared(path.join(dir, 'service'), String(v1));
    const log = path.join(dir, 'writer.log');
    writer = startWriter(service, log);
    const started = Date.now();

    const replicate = ok(run(logical, 'orders-blue-to-green-replicate', 'replicate', pair(v1, v2)));
    expect(replicate).toMatch(/all 4 tables copied/);
    const beforeCutover = readLog(log).filter((l) => l[0] === 'ack').length;
    const cutover = run(logical, 'orders-blue-to-green-cutover', 'cutover', pair(v1, v2));
    const cutoverOut = ok(cutover);
    fs.writeFileSync(service, String(v2)); // flip `active`: the Service now selects v2's primary
    const flippedAt = Date.now();
    spawnSleep(1.5);
    fs.writeFileSync(path.join(dir, 'stop'), '');
    spawnSleep(0.5);
    fs.rmSync(path.join(dir, 'stop'));

    const entries = readLog(log);
    const acks = entries.filter((l) => l[0] === 'ack');
    const refused = entries.filter((l) => l[0] === 'refused');
    const ackedOnV1 = acks.filter((l) => l[1] === String(v1)).map((l) => Number(l[2]));
    const ackedOnV2 = acks.filter((l) => l[1] === String(v2)).map((l) => Number(l[2]));
    const idsOnV2 = new Set(sql(v2, 'orders', 'SELECT id FROM items').split('\n').map(Number));
    const lost = [...ackedOnV1, ...ackedOnV2].filter((id) => !idsOnV2.has(id));
    const freeze = /writes paused for (\d+)s/.exec(cutoverOut)?.[1];
    const refusedWindow = refused.length ? Number(refused[refused.length - 1][2]) - Number(refused[0][2]) : 0;
    // eslint-disable-next-line no-console
    console.log(`blue-green measurements: ${acks.length} acknowledged writes (${ackedOnV1.length} on v1, ${ackedOnV2.length} on v2, ${beforeCutover} before the cutover started), `
      + `${refused.length} refused during the freeze over ${refusedWindow} ms, freeze reported ${freeze}s, lost ${lost.length}, `
      + `run ${Date.now() - started} ms, items on v1 ${sql(v1, 'orders', 'SELECT count(*) FROM items')}, on v2 ${idsOnV2.size}\n${cutoverOut}`);

    expect(lost).toEqual([]);
    expect(ackedOnV1.length).toBeGreaterThan(10);
    expect(ackedOnV2.length).toBeGreaterThan(0); // the first inserts on v2 did not collide
    expect(entries.some((l) => l.join(' ').includes('duplicate key'))).toBe(false);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((l) => l[1] === String(v1))).toBe(true);
    expect(refused.some((l) => l.join(' ').includes('not permitted to log in'))).toBe(true);
    expect(Math.min(...ackedOnV2)).toBeGreaterThan(Math.max(...ackedOnV1));
    expect(cutoverOut).toMatch(/verify: 3 tables, counts and checksums equal/);
    expect(Number(freeze)).toBeLessThan(30);
    // Detached: no subscription on v2, no slot or publication on v1.
    expect(sql(v2, 'orders', 'SELECT count(*) FROM pg_subscription')).toBe('0');
    expect(sql(v1, 'orders', 'SELECT count(*) FROM pg_replication_slots')).toBe('0');
    expect(sql(v1, 'orders', 'SELECT count(*) FROM pg_publication')).toBe('0');
    // Before the switch, v1 was frozen even for a session that turns read-only off.
    expect(appInsert(v1).stderr).toMatch(/not permitted to log in/);
    const superWrite = runAs('postgres', `${BIN}/psql`, ['-X', '-h', sockets, '-p', String(v1), '-U', 'postgres', '-d', 'orders',
      '-c', 'SET ROLE orders_app; SET default_transaction_read_only = off; INSERT INTO items (payload) VALUES (\'sneak\')']);
    expect(superWrite.stderr).toMatch(/permission denied for table items/);
    expect(flippedAt).toBeGreaterThan(started);

    // Rollback: unfreeze v1 and point the Service back at it.
    ok(run(logical, 'orders-unfreeze-blue', 'unfreeze', conn('SOURCE', v1)));
    const probe = appInsert(v1);
    expect(probe.status).toBe(0);
    expect(Number(probe.stdout.trim().split('\n')[0])).toBeGreaterThan(ackedOnV2.length ? Math.max(...ackedOnV1) : 0);
    // A second unfreeze is a no-op.
    expect(ok(run(logical, 'orders-unfreeze-blue', 'unfreeze', conn('SOURCE', v1)))).toMatch(/not frozen/);
  }, 300_000);

  test('reverse replication: the cutover subscribes blue to green; a write on green survives the rollback (reverse cutover, unfreeze blue)', () => {
    const blue = seeded('rb');
    const green = startServer('rg');
    ok(run(reverseBlue, 'orders-blue-to-green-replicate', 'replicate', pair(blue, green)));
    const cutover = ok(run(reverseBlue, 'orders-blue-to-green-cutover', 'cutover', pair(blue, green)));
    expect(cutover).toMatch(/reverse replication: v1 subscribes to v2 \(bg_orders_green_to_blue/);
    expect(sql(blue, 'orders', 'SELECT subname FROM pg_subscription')).toBe('bg_orders_green_to_blue');
    expect(sql(green, 'orders', 'SELECT pubname FROM pg_publication')).toBe('bg_orders_green_to_blue');
    expect(sql(green, 'orders', 'SELECT count(*) FROM pg_subscription')).toBe('0');
    // The example's user step (a smoke check) on the finished copy, passwords from a file.
    const pwFile = writeShared(path.join(dir, 'pw-file'), PASSWORD, 0o400);
    if (isRoot) mustRunAs('root', 'chown', ['postgres:', pwFile]);
    const side = (prefix: string, port: number) => ({ [`${prefix}_HOST`]: '127.0.0.1', [`${prefix}_PORT`]: String(port), [`${prefix}_USER`]: 'postgres', [`${prefix}_PASSWORD_FILE`]: pwFile });
    expect(ok(runAs('postgres', '/bin/sh', ['-c', SMOKE_CHECK], { MIGRATE_DATABASE: 'orders', ...side('SOURCE', blue), ...side('TARGET', green) })))
      .toMatch(/smoke check: the same tables on both colors: customers,events,items/);

    // Flipped: the application writes on green (an insert and an update).
    const onGreen = appInsert(green);
    expect(onGreen.status).toBe(0);
    const id = Number(onGreen.stdout.trim().split('\n')[0]);
    mustRunAs('postgres', `${BIN}/psql`, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(green), '-U', 'orders_app', '-d', 'orders',
      '-c', "UPDATE customers SET name = 'renamed on green' WHERE id = 7"], { PGPASSWORD: APP_PASSWORD });
    const arrived = () => sql(blue, 'orders', `SELECT count(*) FROM items WHERE id = ${id}`) === '1';
    for (let i = 0; i < 50 && !arrived(); i++) spawnSleep(0.2);
    expect(arrived()).toBe(true);
    expect(appInsert(blue).status).not.toBe(0); // blue is still frozen

    // Roll back: the reverse cutover (the green-to-blue Job of the flipped synth), then unfreeze blue.
    const back = ok(run(reverseGreen, 'orders-green-to-blue-cutover', 'cutover', pair(green, blue)));
    expect(back).toMatch(/verify: 3 tables, counts and checksums equal/);
    expect(appInsert(green).status).not.toBe(0); // green is frozen now
    ok(run(reverseGreen, 'orders-unfreeze-blue', 'unfreeze', conn('SOURCE', blue)));
    expect(sql(blue, 'orders', `SELECT payload FROM items WHERE id = ${id}`)).toBe('probe');
    expect(sql(blue, 'orders', 'SELECT name FROM customers WHERE id = 7')).toBe('renamed on green');
    const next = appInsert(blue);
    expect(next.status).toBe(0); // sequences came back too: no duplicate key
    expect(Number(next.stdout.trim().split('\n')[0])).toBeGreaterThan(id);
    expect(sql(blue, 'orders', "SELECT count(*) FROM pg_subscription WHERE subname = 'bg_orders_green_to_blue'")).toBe('0');
  }, 180_000);

  test('abort: the catch-up never arrives, the freeze timeout passes, v1 is writable again and the Job fails', () => {
    const v3 = startServer('v3');
    ok(run(logical, 'orders-blue-to-green-replicate', 'replicate', pair(v1, v3)));
    // Stall the catch-up after the preflight: a session on v3 holds the marker table locked, so
    // the apply worker cannot apply the freeze marker.
    const blocker = spawn(`${BIN}/psql`, ['-X', '-h', '127.0.0.1', '-p', String(v3), '-U', 'postgres', '-d', 'orders',
      '-c', 'BEGIN; LOCK TABLE cdk8s_bluegreen.cutover IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);'], { env: { ...process.env, PGPASSWORD: PASSWORD }, stdio: 'ignore' });
    spawnSleep(1);
    const started = Date.now();
    const result = run(logical, 'orders-blue-to-green-cutover', 'cutover', { ...pair(v1, v3), FREEZE_TIMEOUT_SECONDS: '3' });
    blocker.kill();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/freeze timeout of 3s exceeded during catch-up/);
    expect(result.stderr).toMatch(/unfreezing v1/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(appInsert(v1).status).toBe(0);
    // The subscription is still there: the migration can be retried after fixing the cause.
    expect(sql(v3, 'orders', "SELECT count(*) FROM pg_subscription WHERE subname = 'bg_orders_blue_to_green'")).toBe('1');
    sql(v3, 'orders', 'DROP SUBSCRIPTION bg_orders_blue_to_green');
  }, 120_000);

  test('verification: a table that differs on v2 aborts the cutover, unfreezes v1 and fails', () => {
    const v6 = startServer('v6');
    ok(run(logical, 'orders-blue-to-green-replicate', 'replicate', pair(v1, v6)));
    sql(v6, 'orders', "INSERT INTO events VALUES (now(), 'stray', 1)");
    const result = run(logical, 'orders-blue-to-green-cutover', 'cutover', pair(v1, v6));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/verification: row counts or checksums differ/);
    expect(result.stderr).toMatch(/> events 5001/);
    expect(appInsert(v1).status).toBe(0);
    sql(v6, 'orders', 'DROP SUBSCRIPTION bg_orders_blue_to_green');
  }, 120_000);

  test('user step: the YAML\'s command and env against two real servers, passwords from files; a wrong password file fails it', () => {
    const v7 = startServer('v7');
    sql(v7, 'postgres', 'CREATE DATABASE orders');
    const step = mainContainer(findManifest(withUserStep, 'Job', 'orders-blue-to-green-user-step'), 'user-step');
    const files = tempDirFor('postgres', 'bg-secrets-');
    const sourceFile = writeShared(path.join(files, 'source-password'), PASSWORD, 0o440);
    const targetFile = writeShared(path.join(files, 'target-password'), PASSWORD, 0o440);
    if (isRoot) mustRunAs('root', 'chown', ['postgres:', sourceFile, targetFile]);
    const env = { ...literalEnv(step), SOURCE_HOST: '127.0.0.1', SOURCE_PORT: String(v1), TARGET_HOST: '127.0.0.1', TARGET_PORT: String(v7) };
    const runStep = (overrides: Record<string, string>) => runAs('postgres', step.command[0], step.command.slice(1), { ...env, ...overrides });
    const out = ok(runStep({ SOURCE_PASSWORD_FILE: sourceFile, TARGET_PASSWORD_FILE: targetFile }));
    expect(out).toMatch(/user step: 3000 customers on the source/);
    expect(sql(v7, 'orders', 'SELECT source_customers || \' \' || note FROM user_step_audit')).toBe('3000 from the step');
    const wrong = writeShared(path.join(files, 'wrong'), 'nope', 0o444);
    const failed = runStep({ SOURCE_PASSWORD_FILE: wrong, TARGET_PASSWORD_FILE: targetFile });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/password authentication failed/);
    expect(sql(v7, 'orders', 'SELECT count(*) FROM user_step_audit')).toBe('1');
  }, 60_000);

  test('preflight: a cutover without a ready subscription fails before freezing anything', () => {
    const v4 = startServer('v4');
    const result = run(logical, 'orders-blue-to-green-cutover', 'cutover', pair(v1, v4));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/run the replicate Job first/);
    expect(appInsert(v1).status).toBe(0);
  }, 60_000);

  test('dump/restore with a freeze: v1 frozen, dumped, restored into v5, the copy thawed; checksums equal', () => {
    const v5 = startServer('v5');
    const checksum = (port: number) => sql(port, 'orders', "SELECT string_agg(t || ' ' || n, ', ' ORDER BY t) FROM (SELECT 'items' t, count(*) || ':' || md5(string_agg(i::text, '|' ORDER BY id)) n FROM items i UNION ALL SELECT 'customers', count(*) || ':' || md5(string_agg(c::text, '|' ORDER BY id)) FROM customers c) x");
    const job = 'orders-blue-to-green-migrate';
    const env = (_c: string, port: number) => ({ PGHOST: '127.0.0.1', PGPORT: String(port), PGPASSWORD: PASSWORD });
    const work = tempDirFor('postgres', 'bg-dump-');
    const dumpFile = path.join(work, 'dump.sql.gz');
    const started = path.join(work, 'freeze-started');
    const frozen = { ...conn('SOURCE', v1), DUMP_FILE: dumpFile, FREEZE_STARTED_FILE: started };
    ok(run(dumpRestore, job, 'freeze', { ...pair(v1, v5), FREEZE_STARTED_FILE: started }));
    expect(appInsert(v1).status).not.toBe(0);
    const before = checksum(v1);
    ok(run(dumpRestore, job, 'dump', { ...env('dump', v1), ...frozen }));
    ok(run(dumpRestore, job, 'restore', { ...env('restore', v5), ...frozen }));
    ok(run(dumpRestore, job, 'thaw-target', conn('SOURCE', v5)));
    expect(checksum(v5)).toBe(before);
    expect(appInsert(v5).status).toBe(0); // the copy is writable (login and grants restored)
    expect(appInsert(v1).status).not.toBe(0); // v1 stays frozen until its unfreeze Job
    ok(run(dumpRestore, 'orders-unfreeze-blue', 'unfreeze', conn('SOURCE', v1)));
    expect(appInsert(v1).status).toBe(0);

    // A failed dump (wrong password) unfreezes v1 and fails the step.
    ok(run(dumpRestore, job, 'freeze', { ...pair(v1, v5), FREEZE_STARTED_FILE: started }));
    expect(appInsert(v1).status).not.toBe(0);
    const failed = run(dumpRestore, job, 'dump', { ...env('dump', v1), ...frozen, PGPASSWORD: 'wrong' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/dump-database.sh failed \(exit \d+\); unfreezing the source/);
    expect(appInsert(v1).status).toBe(0);
  }, 120_000);
});

function spawnSleep(seconds: number): void {
  require('child_process').spawnSync('sleep', [String(seconds)]);
}
