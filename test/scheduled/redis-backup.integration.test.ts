/**
 * The Redis backup source's dump, restore and wait scripts executed against real Redis 7
 * (Debian packages redis-server, redis-tools) through the generic backup.sh / restore.sh.
 * Scripts and literal env come from the synthesized YAML; hosts, ports, paths and the password
 * are overridden through the environment the scripts read. The test servers enable DEBUG
 * (locally) only to compare dataset digests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Chart, Cron, Size, Testing } from 'cdk8s';
import { RedisCluster } from '../../lib';
import { BackupCronJob, BackupSchedule, BackupTarget, RestoreJob } from '../../lib';
import { findManifest, Manifest } from '../../lib/testing/validate';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { freePort, mustRunAs, runAs, shellcheck, tempDirFor, waitFor } from '../support/run';
import { containerOf, literalEnv, synth } from './support';

const PASSWORD = 'cache "pass" w0rd';

function synthesized() {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const cache = new RedisCluster(chart, 'cache', { replicas: 1 });
  const backup = new BackupCronJob(chart, 'cache-backup', {
    database: cache, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(5) }), retention: 2,
  });
  new RestoreJob(chart, 'cache-restore', { backup });
  const manifests = synth(chart);
  const scripts = (name: string) => findManifest(manifests, 'ConfigMap', `${name}-scripts`).data as Record<string, string>;
  return { scripts, cron: findManifest(manifests, 'CronJob', 'cache-backup'), job: findManifest(manifests, 'Job', 'cache-restore') };
}

describeWithBinaries('Redis backup scripts', SHELLCHECK, () => {
  const gen = synthesized();
  test.each(Object.entries(gen.scripts('cache-restore')))('%s passes shellcheck', (_, body) => expect(shellcheck(body)).toBe(''));
  test('the dump runs in the Redis image as uid 999 with the password by Secret reference', () => {
    const backup = containerOf(gen.cron, 'backup');
    expect(backup.image).toBe('redis:7.2.5');
    expect(backup.securityContext).toMatchObject({ runAsUser: 999, readOnlyRootFilesystem: true });
    expect(literalEnv(backup)).toMatchObject({ REDIS_HOST: 'cache-primary.shop.svc.cluster.local', REDIS_PORT: '6379', DUMP_EXTENSION: '.rdb' });
    expect(backup.env.find((e: Manifest) => e.name === 'REDISCLI_AUTH').valueFrom).toEqual({ secretKeyRef: { name: 'cache-credentials', key: 'redis-password' } });
  });
});

describeWithBinaries('Redis backup and restore round trip against real Redis 7', [['/usr/bin/redis-server', 'redis-server'], ['/usr/bin/redis-check-rdb', 'redis-tools'], ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const gen = synthesized();
  const dir = tempDirFor('redis', 'redis-backup-it-');
  const ports: number[] = [];

  function scriptsDir(name: string): string {
    const target = path.join(dir, `${name}-scripts`);
    fs.mkdirSync(target, { recursive: true });
    for (const [file, body] of Object.entries(gen.scripts(name))) fs.writeFileSync(path.join(target, file), body, { mode: 0o755 });
    return target;
  }
  function startServer(name: string): number {
    const port = freePort();
    const data = path.join(dir, name);
    mustRunAs('redis', 'mkdir', ['-p', data]);
    mustRunAs('redis', '/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--daemonize', 'yes', '--requirepass', PASSWORD,
      '--enable-debug-command', 'local', '--logfile', path.join(data, 'log')]);
    ports.push(port);
    waitFor(`redis ${name}`, () => cli(port, 'ping') === 'PONG');
    return port;
  }
  const cli = (port: number, ...args: string[]) => runAs('redis', '/usr/bin/redis-cli', ['--no-auth-warning', '-p', String(port), ...args], { REDISCLI_AUTH: PASSWORD }).stdout.trim();
  function runScript(scripts: string, file: string, container: Manifest, overrides: Record<string, string>) {
    return runAs('redis', '/bin/sh', [path.join(scripts, file)], { ...literalEnv(container), SCRIPTS_DIR: scripts, TMPDIR: path.join(dir, 'tmp'), ...overrides });
  }
  const ok = (r: ReturnType<typeof runScript>) => {
    if (r.status !== 0) throw new Error(`exit ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };

  let source: number;
  beforeAll(() => {
    mustRunAs('redis', 'mkdir', ['-p', path.join(dir, 'tmp')]);
    source = startServer('source');
    // Every type, binary-safe values, awkward key names and a TTL.
    const load = [
      'SET "plain key" "value with \\"quotes\\" and ü€😀"',
      'SET binary "\\x00\\xff\\r\\n tail"',
      'SET "key with \'single\' quote" x',
      'HSET user:1 name "Ada" email "ada@example.com" visits 42',
      'RPUSH queue a b c "d e"',
      'SADD tags red green blue',
      'ZADD scores 1.5 alice 2.25 bob -3 carol',
      'XADD events 1-1 type created id 7',
      'SET session:abc token EX 86400',
      ...Array.from({ length: 300 }, (_, i) => `SET bulk:${i} v${'x'.repeat(i)}`),
    ].join('\n');
    const result = spawnSync('runuser', ['-u', 'redis', '--', 'env', `REDISCLI_AUTH=${PASSWORD}`, '/usr/bin/redis-cli', '--no-auth-warning', '-p', String(source)], { input: load, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
  }, 60_000);

  afterAll(() => {
    for (const port of ports) cli(port, 'shutdown', 'nosave');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the generated backup takes an RDB snapshot; the generated restore replaces a server\'s data with it: digests match', () => {
    expect(cli(source, 'dbsize')).toBe('309');
    const before = cli(source, 'debug', 'digest');
    const scripts = scriptsDir('cache-backup');
    const volume = tempDirFor('redis', 'redis-volume-');
    const env = (port: number) => ({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), REDISCLI_AUTH: PASSWORD, BACKUP_DIR: volume });
    expect(ok(runScript(scripts, 'backup.sh', containerOf(gen.cron, 'backup'), { ...env(source), BACKUP_TIMESTAMP: '20240131T030000Z' }))).toMatch(/dump: RDB snapshot of 127\.0\.0\.1/);
    expect(fs.readdirSync(volume)).toEqual(['cache-20240131T030000Z.rdb']);

    const target = startServer('target');
    cli(target, 'set', 'stale', 'must be gone after the restore');
    const restoreScripts = scriptsDir('cache-restore');
    ok(runScript(restoreScripts, 'wait-for-database.sh', containerOf(gen.job, 'wait-for-database'), env(target)));
    expect(ok(runScript(restoreScripts, 'restore.sh', containerOf(gen.job, 'restore'), { ...env(target), RESTORE_LOCAL_PORT: String(freePort()) }))).toMatch(/309 keys restored/);
    expect(cli(target, 'debug', 'digest')).toBe(before);
    expect(cli(target, 'exists', 'stale')).toBe('0');
    const ttl = Number(cli(target, 'ttl', 'session:abc'));
    expect(ttl).toBeGreaterThan(86000);
    expect(ttl).toBeLessThanOrEqual(86400);
  }, 120_000);

  test('a dump with a wrong password fails and leaves no file; the wait gives up on a server that never answers', () => {
    const scripts = scriptsDir('cache-backup');
    const volume = tempDirFor('redis', 'redis-volume-');
    const failed = runScript(scripts, 'backup.sh', containerOf(gen.cron, 'backup'), { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(source), REDISCLI_AUTH: 'wrong', BACKUP_DIR: volume });
    expect(failed.status).not.toBe(0);
    expect(fs.readdirSync(volume)).toEqual([]);
    const restoreScripts = scriptsDir('cache-restore');
    const waited = runScript(restoreScripts, 'wait-for-database.sh', containerOf(gen.job, 'wait-for-database'), { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(freePort()), WAIT_TIMEOUT_SECONDS: '2', WAIT_INTERVAL_SECONDS: '1' });
    expect(waited.status).toBe(1);
    expect(waited.stderr).toMatch(/wait: cache-primary.shop.svc.cluster.local:6379 does not accept connections after 2s/);
  }, 60_000);
});
