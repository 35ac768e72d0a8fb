/**
 * The wait-for-database script, run for real: shellcheck, then `sh` (dash here, busybox sh in the
 * pod) against a TCP listener this test opens. This machine has no `nc`, so the test puts an `nc`
 * first on PATH that implements what the script uses of busybox's nc (`-z -w SECONDS host port`:
 * exit 0 when a TCP connection opens, 1 otherwise) and rejects any other option, so the script
 * cannot start depending on a flag busybox lacks. Where a real nc exists it is used instead.
 */
import { haveBinary } from '../support/binaries';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { MigrationJob } from '../../lib';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';

/** The script exactly as it ships in the manifest. */
function shippedScript(): string {
  const chart = new Chart(Testing.app(), 'test');
  new MigrationJob(chart, 'migrate', { name: 'migrate', host: 'db', port: 5432, image: 'ghcr.io/example/migrations:1.0.0' });
  const job = findManifest(synthValid(chart, { restricted: true, production: true }), 'Job', 'migrate');
  const wait = job.spec.template.spec.initContainers.find((c: Manifest) => c.name === 'wait-for-database');
  expect(wait.command.slice(0, 2)).toEqual(['sh', '-c']);
  return wait.command[2];
}

const SCRIPT = shippedScript();
const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-for-tcp-'));
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

const NC_SHIM = `
const net = require('net');
const args = process.argv.slice(2);
let zero = false, timeout = 5;
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '-z') zero = true;
  else if (args[i] === '-w') timeout = Number(args[++i]);
  else if (args[i].startsWith('-')) { console.error('nc shim: unsupported option ' + args[i]); process.exit(2); }
  else rest.push(args[i]);
}
if (!zero || rest.length !== 2 || !(timeout > 0)) { console.error('nc shim: usage nc -z -w SECONDS host port'); process.exit(2); }
const socket = net.connect({ host: rest[0], port: Number(rest[1]) });
socket.setTimeout(timeout * 1000);
socket.on('connect', () => { socket.destroy(); process.exit(0); });
socket.on('timeout', () => process.exit(1));
socket.on('error', () => process.exit(1));
`;

/** A PATH whose `nc` is a real one if installed, else the shim. */
function pathWithNc(): string {
  if (commandExists('nc')) return process.env.PATH ?? '';
  const bin = path.join(workdir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'nc.js'), NC_SHIM);
  fs.writeFileSync(path.join(bin, 'nc'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(bin, 'nc.js')}" "$@"\n`, { mode: 0o755 });
  return `${bin}:${process.env.PATH ?? ''}`;
}

interface Run { code: number | null; stdout: string; stderr: string; seconds: number }

function runScript(env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', SCRIPT], { env: { PATH: pathWithNc(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listen(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe('wait-for-tcp script', () => {
  // Without shellcheck: skipped loudly on a developer machine, a failure in CI (haveBinary).
  const withShellcheck = haveBinary('/usr/bin/shellcheck', 'shellcheck') ? test : test.skip;
  withShellcheck('passes shellcheck -s sh', () => {
    const file = path.join(workdir, 'wait-for-tcp.sh');
    fs.writeFileSync(file, SCRIPT);
    expect(() => execFileSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' })).not.toThrow();
  });

  withShellcheck('shellcheck really checks: a broken script fails it', () => {
    const file = path.join(workdir, 'broken.sh');
    fs.writeFileSync(file, 'until nc -z $host $port; do sleep 1; done\n');
    expect(spawnSync('shellcheck', ['-s', 'sh', file]).status).not.toBe(0);
  });

  test('returns at once when the port is open', async () => {
    const port = await freePort();
    const server = await listen(port);
    try {
      const run = await runScript({ WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_TIMEOUT_SECONDS: '10', WAIT_INTERVAL_SECONDS: '1' });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`127.0.0.1:${port} accepts connections\n`);
    } finally {
      await close(server);
    }
  });

  test('waits while the port is closed and returns once it opens', async () => {
    const port = await freePort();
    const running = runScript({ WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_TIMEOUT_SECONDS: '20', WAIT_INTERVAL_SECONDS: '1' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const server = await listen(port);
    try {
      const run = await running;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`waiting for 127.0.0.1:${port} to accept connections`);
      expect(run.stdout).toMatch(/accepts connections\n$/);
      expect(run.seconds).toBeGreaterThanOrEqual(2.5);
      expect(run.seconds).toBeLessThan(10);
    } finally {
      await close(server);
    }
  });

  test('times out when the port never opens', async () => {
    const port = await freePort();
    const run = await runScript({ WAIT_HOST: '127.0.0.1', WAIT_PORT: String(port), WAIT_TIMEOUT_SECONDS: '2', WAIT_INTERVAL_SECONDS: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`gave up after 2s: 127.0.0.1:${port} does not accept connections`);
    expect(run.seconds).toBeGreaterThanOrEqual(2);
    expect(run.seconds).toBeLessThan(8);
  });

  test('fails clearly without WAIT_HOST', async () => {
    const run = await runScript({ WAIT_PORT: '5432' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('WAIT_HOST must name the host to wait for');
  });
});
