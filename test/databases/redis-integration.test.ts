/**
 * RedisCluster's start, readiness and liveness scripts executed with real Redis 7 binaries
 * (Debian package redis-server). Scripts and redis.conf come from the synthesized YAML; ports,
 * the primary host and the data directory are overridden through the scripts' environment.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import { RedisCluster, testing } from '../../lib';
import { describeWithBinaries, SHELLCHECK } from '../support/binaries';
import { freePort, isRoot, runAs, shellcheck, tempDirFor, waitFor, writeShared } from '../support/run';

const PASSWORD = 'pa"ss\\word with spaces';

function synthesized() {
  const chart = new Chart(Testing.app(), 'it', { namespace: 'shop' });
  new RedisCluster(chart, 'cache', { replicas: 3, storage: Size.gibibytes(5) });
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const scripts = testing.Harness.findManifest(manifests, 'ConfigMap', 'cache-scripts').data as Record<string, string>;
  const config = testing.Harness.findManifest(manifests, 'ConfigMap', 'cache-config').data['redis.conf'] as string;
  const server = testing.Harness.findManifest(manifests, 'StatefulSet', 'cache').spec.template.spec.containers[0];
  return { scripts, config, server };
}

describeWithBinaries('Redis scripts pass shellcheck', SHELLCHECK, () => {
  const { scripts } = synthesized();
  test.each(Object.keys(scripts))('%s', (name) => expect(shellcheck(scripts[name])).toBe(''));
});

describeWithBinaries('RedisCluster against real Redis 7', [['/usr/bin/redis-server', 'redis-server'], ['/usr/bin/redis-cli', 'redis-server'], ['/usr/bin/shellcheck', 'shellcheck']], () => {
  const cluster = synthesized();
  const dir = tempDirFor('redis', 'redis-it-');
  const scriptsDir = path.join(dir, 'scripts');
  const configFile = path.join(dir, 'redis.conf');
  const primaryPort = freePort();
  const replicaPort = primaryPort + 1;
  const servers: ChildProcess[] = [];
  const cli = (port: number, ...args: string[]) => runAs('redis', '/usr/bin/redis-cli', ['--no-auth-warning', '-p', String(port), ...args], { REDISCLI_AUTH: PASSWORD }).stdout.trim();

  const start = (podName: string, port: number) => {
    const dataDir = path.join(dir, podName);
    runAs('redis', 'mkdir', ['-p', dataDir]);
    const env = { POD_NAME: podName, REDIS_PASSWORD: PASSWORD, PRIMARY_HOST: '127.0.0.1', PRIMARY_PORT: String(primaryPort), REDIS_PORT: String(port), REDIS_CONFIG: configFile, REDIS_DATA_DIR: dataDir, SCRIPTS_DIR: scriptsDir };
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const argv = [...envArgs, '/bin/sh', path.join(scriptsDir, 'start.sh')];
    const child = isRoot ? spawn('runuser', ['-u', 'redis', '--', 'env', ...argv], { stdio: 'ignore' }) : spawn('env', argv, { stdio: 'ignore' });
    servers.push(child);
    waitFor(`redis on ${port}`, () => cli(port, 'ping') === 'PONG');
    return dataDir;
  };

  beforeAll(() => {
    for (const [name, body] of Object.entries(cluster.scripts)) writeShared(path.join(scriptsDir, name), body, 0o755);
    writeShared(configFile, cluster.config);
  });

  afterAll(() => {
    for (const child of servers) child.kill('SIGTERM');
    runAs('redis', '/usr/bin/redis-cli', ['-p', String(primaryPort), 'shutdown', 'nosave'], { REDISCLI_AUTH: PASSWORD });
    runAs('redis', '/usr/bin/redis-cli', ['-p', String(replicaPort), 'shutdown', 'nosave'], { REDISCLI_AUTH: PASSWORD });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ordinal 0 starts as a primary with append-only persistence and requires the password', () => {
    const dataDir = start('cache-0', primaryPort);
    expect(cli(primaryPort, 'info', 'replication')).toMatch(/role:master/);
    expect(cli(primaryPort, 'config', 'get', 'appendonly')).toBe('appendonly\nyes');
    expect(runAs('redis', '/usr/bin/redis-cli', ['-p', String(primaryPort), 'get', 'x']).stdout).toMatch(/NOAUTH/);
    expect(fs.existsSync(path.join(dataDir, 'appendonlydir'))).toBe(true);
  });

  test('the password is not on any command line', () => {
    const cmdlines = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => {
      try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8'); } catch { return ''; }
    });
    // (The test's own runuser process carries the password as an env argument; in a pod the
    // kubelet sets the environment. What matters is the server's own command line.)
    const servers = cmdlines.filter((c) => c.startsWith('redis-server') || c.includes('/redis-server'));
    expect(servers.length).toBeGreaterThanOrEqual(1);
    for (const c of servers) expect(c).not.toContain('pa"ss');
    // redis-server rewrites its process title, which could hide arguments: also check that the
    // script passes only the config file and "-" (stdin) as arguments.
    expect(cluster.scripts['start.sh']).toMatch(/^exec "\$REDIS_SERVER" "\$REDIS_CONFIG" - <<CONFIG$/m);
  });

  test('a replica started with the generated command syncs a key written on the primary', () => {
    start('cache-1', replicaPort);
    expect(cli(primaryPort, 'set', 'order:1', 'shipped')).toBe('OK');
    waitFor('the key on the replica', () => cli(replicaPort, 'get', 'order:1') === 'shipped');
    expect(cli(replicaPort, 'info', 'replication')).toMatch(/role:slave[\s\S]*master_link_status:up/);
    expect(cli(replicaPort, 'set', 'x', 'y')).toMatch(/READONLY/);
  });

  test('probes: PONG passes both; LOADING and MASTERDOWN keep liveness but fail readiness; no server fails both', () => {
    const readiness = cluster.server.readinessProbe.exec.command.map((a: string) => a.replace('/opt/cdk8s-workloads', scriptsDir));
    const liveness = cluster.server.livenessProbe.exec.command.map((a: string) => a.replace('/opt/cdk8s-workloads', scriptsDir));
    const probe = (argv: string[], env: Record<string, string>) => runAs('redis', argv[0], argv.slice(1), { REDIS_PASSWORD: PASSWORD, REDIS_PORT: String(replicaPort), ...env }).status;
    expect(probe(readiness, {})).toBe(0);
    expect(probe(liveness, {})).toBe(0);
    expect(probe(readiness, { REDIS_PASSWORD: 'wrong' })).not.toBe(0);

    // A stand-in redis-cli first on PATH answers what a loading server or a cut-off replica answers.
    for (const reply of ['LOADING Redis is loading the dataset in memory', 'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no']) {
      const fake = path.join(dir, `fake-${reply.split(' ')[0]}`);
      writeShared(path.join(fake, 'redis-cli'), `#!/bin/sh\necho '${reply}'\nexit 1\n`, 0o755);
      const env = { PATH: `${fake}:/usr/bin:/bin` };
      expect({ reply, liveness: probe(liveness, env), readiness: probe(readiness, env) === 0 }).toEqual({ reply, liveness: 0, readiness: false });
    }

    cli(replicaPort, 'shutdown', 'nosave');
    expect(probe(readiness, {})).not.toBe(0);
    expect(probe(liveness, {})).not.toBe(0);
  });
});
