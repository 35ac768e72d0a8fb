/**
 * Patroni members run on this machine from a PostgresCluster's generated configuration and start
 * script, as user postgres, each in its own temp directory with free ports, talking to the test
 * control plane with a ServiceAccount token. The member names are the names of the StatefulSet's
 * (kwok) pods, so Patroni patches those pods' labels and annotations.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { Proc, startProcess, tail } from './procs';
import { sleep } from './wait';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PATRONI = '/usr/bin/patroni';
export const PATRONICTL = '/usr/bin/patronictl';
const START_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'lib', 'databases', 'postgres', 'patroni', 'patroni-start.sh');

export const PASSWORDS = { 'postgres-password': 'su-secret-1', 'replication-password': 'repl-secret-2', 'rewind-password': 'rewind-secret-3' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A kubeconfig that authenticates with a bearer token (what a pod's ServiceAccount token is). */
export function tokenKubeconfig(file: string, server: string, caFile: string, token: string): void {
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: test', '  cluster:', `    server: ${server}`, `    certificate-authority: ${caFile}`,
    'users:', '- name: test', '  user:', `    token: ${token}`,
    'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test',
    'current-context: test', '',
  ].join('\n'), { mode: 0o644 });
}

export interface MemberOptions {
  /** The pod name (PATRONI_NAME). */
  name: string;
  namespace: string;
  /** The generated patroni.yml. */
  config: string;
  podIp: string;
  server: string;
  caCert: string;
  token: string;
}

const chown = (p: string) => execFileSync('chown', ['-R', 'postgres:postgres', p]);

export class Member {
  readonly dir: string;
  readonly configFile: string;
  readonly pgdata: string;
  readonly socketDir: string;
  readonly kubeconfig: string;
  proc?: Proc;
  private constructor(readonly options: MemberOptions, readonly pgPort: number, readonly apiPort: number) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `patroni-${options.name}-`));
    fs.chmodSync(this.dir, 0o755);
    this.pgdata = path.join(this.dir, 'data', 'pgdata');
    this.socketDir = path.join(this.dir, 'run');
    this.configFile = path.join(this.dir, 'patroni.yml');
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.mkdirSync(path.join(this.dir, 'data'));
    fs.mkdirSync(this.socketDir);
    const credentials = path.join(this.dir, 'credentials');
    fs.mkdirSync(credentials);
    for (const [key, value] of Object.entries(PASSWORDS)) fs.writeFileSync(path.join(credentials, key), value);
    fs.copyFileSync(options.caCert, path.join(this.dir, 'ca.crt'));
    tokenKubeconfig(this.kubeconfig, options.server, path.join(this.dir, 'ca.crt'), options.token);
    fs.writeFileSync(this.configFile, localConfig(options.config, this));
    chown(this.dir);
  }

  static async create(options: MemberOptions): Promise<Member> {
    return new Member(options, await freePort(), await freePort());
  }

  get name(): string { return this.options.name; }
  get apiUrl(): string { return `http://127.0.0.1:${this.apiPort}`; }

  /** The environment the pod's manifest gives the container, with this machine's addresses. */
  env(): Record<string, string> {
    return {
      PATH: `${PG_BIN}:/usr/bin:/bin`,
      HOME: this.dir,
      PGDATA: this.pgdata,
      PATRONI_CONFIG: this.configFile,
      CREDENTIALS_DIR: path.join(this.dir, 'credentials'),
      PATRONI_NAME: this.name,
      PATRONI_KUBERNETES_NAMESPACE: this.options.namespace,
      PATRONI_KUBERNETES_POD_IP: this.options.podIp,
      PATRONI_POSTGRESQL_CONNECT_ADDRESS: `127.0.0.1:${this.pgPort}`,
      PATRONI_RESTAPI_CONNECT_ADDRESS: `127.0.0.1:${this.apiPort}`,
      // Outside a pod: the token kubeconfig instead of the mounted ServiceAccount token.
      KUBECONFIG: this.kubeconfig,
      PATRONI_KUBERNETES_CONTEXT: 'test',
    };
  }

  /** Starts the member with the generated start script (which reads the password files). */
  start(): void {
    const envArgs = Object.entries(this.env()).map(([k, v]) => `${k}=${v}`);
    this.proc = startProcess(`patroni-${this.name}-${Date.now()}`, 'runuser', ['-u', 'postgres', '--', 'env', '-i', ...envArgs, '/bin/sh', START_SCRIPT], this.dir);
  }

  log(): string {
    return this.proc ? fs.readFileSync(this.proc.log, 'utf8') : '';
  }

  logTail(lines = 30): string {
    return this.proc ? tail(this.proc, lines) : '(not started)';
  }

  /** The postmaster's pid (first line of postmaster.pid), when PostgreSQL runs. */
  postmasterPid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /**
   * A crash of the whole member, as when its node dies: SIGKILL to Patroni (its process group)
   * and to the postmaster and every child of it at the same moment. Patroni detaches the
   * postmaster into its own session, so the process group alone would leave PostgreSQL running.
   */
  kill(): void {
    const postmaster = this.postmasterPid();
    const victims = postmaster ? [postmaster, ...childrenOf(postmaster)] : [];
    if (this.proc?.child.pid) {
      try { process.kill(-this.proc.child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const pid of victims) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }

  /** A clean stop (SIGTERM: Patroni stops PostgreSQL and releases its keys), then SIGKILL leftovers. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const pid = this.proc?.child.pid;
    if (pid && !this.proc!.exited) {
      // SIGTERM to Patroni itself (the child of runuser), as the kubelet signals the container.
      for (const child of childrenOf(pid)) {
        try { process.kill(child, 'SIGTERM'); } catch { /* gone */ }
      }
      const deadline = Date.now() + timeoutMs;
      while (!this.proc!.exited && Date.now() < deadline) await sleep(200);
    }
    this.kill();
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** psql as the superuser over this member's socket; throws on failure. */
  sql(query: string): string {
    return runPsql(['-h', this.socketDir, '-p', String(this.pgPort)], query);
  }

  /** patronictl with this member's configuration and credentials. */
  patronictl(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const envArgs = Object.entries(this.env()).map(([k, v]) => `${k}=${v}`);
    const r = spawnSync('runuser', ['-u', 'postgres', '--', 'env', '-i', ...envArgs, PATRONICTL, '-c', this.configFile, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
}

export function runPsql(connection: string[], query: string, env: Record<string, string> = {}): string {
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return execFileSync('runuser', ['-u', 'postgres', '--', 'env', ...envArgs, `${PG_BIN}/psql`, '-X', '-At', '-v', 'ON_ERROR_STOP=1', ...connection, '-U', 'postgres', '-d', 'postgres', '-c', query],
    { encoding: 'utf8', timeout: 60_000 }).trim();
}

/** Direct children of a process (from /proc). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch { /* exited */ }
  }
  return out;
}

/**
 * The generated configuration with what differs between a pod and this machine: paths (the pod's
 * volumes) and listen addresses (a pod has its own IP; here the members share loopback).
 */
function localConfig(generated: string, m: Member): string {
  const file = path.join(m.dir, 'generated-patroni.yml');
  fs.writeFileSync(file, generated);
  const config = Yaml.load(file)[0];
  config.restapi.listen = `127.0.0.1:${m.apiPort}`;
  config.postgresql.listen = `127.0.0.1:${m.pgPort}`;
  config.postgresql.data_dir = m.pgdata;
  config.postgresql.pgpass = path.join(m.dir, 'pgpass');
  config.postgresql.parameters.unix_socket_directories = m.socketDir;
  // Small for a test machine shared with others; the memory settings are the chart's business.
  config.postgresql.parameters.shared_buffers = '32MB';
  config.bootstrap.dcs.postgresql.parameters.shared_buffers = '32MB';
  return Yaml.stringify(config);
}
