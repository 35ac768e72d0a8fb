/**
 * Runs the real node-exporter (Debian package prometheus-node-exporter, 1.5) with the arguments
 * of the synthesized DaemonSet, host mounts mapped back to this machine's paths, and scrapes it.
 * Fails when the binary is missing and CI is set; skips with a warning locally.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import { Chart, Testing } from 'cdk8s';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { NodeExporterDaemon } from '../../lib';

const BINARY = '/usr/bin/prometheus-node-exporter';
const haveBinary = fs.existsSync(BINARY);
const runIntegration = haveBinary || Boolean(process.env.CI);
if (!runIntegration) {
  console.warn(`SKIPPING node-exporter integration test: ${BINARY} not found. Install the Debian package "prometheus-node-exporter" (apt-get install prometheus-node-exporter).`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function waitFor(url: string, exporter: ChildProcess, log: () => string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exporter.exitCode !== null) throw new Error(`node-exporter exited with ${exporter.exitCode}:\n${log()}`);
    try {
      if ((await get(url)).status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`node-exporter did not answer on ${url}:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The container's args with every path under a hostPath mount rewritten to the host path it
 * comes from (the mapping is read from the DaemonSet's volumes and mounts, not hard-coded), and
 * the listen address moved to a free loopback port.
 */
function hostArgs(ds: Manifest, port: number): { args: string[]; listenArg: string } {
  const pod = ds.spec.template.spec;
  const container = pod.containers[0];
  const hostPathOf = new Map<string, string>(pod.volumes.filter((v: Manifest) => v.hostPath).map((v: Manifest) => [v.name, v.hostPath.path]));
  const mounts: [string, string][] = container.volumeMounts
    .filter((m: Manifest) => hostPathOf.has(m.name))
    .map((m: Manifest) => [m.mountPath, hostPathOf.get(m.name)!] as [string, string])
    .sort((a: [string, string], b: [string, string]) => b[0].length - a[0].length);
  const toHost = (path: string): string => {
    for (const [mountPath, hostPath] of mounts) {
      if (path === mountPath) return hostPath;
      if (path.startsWith(`${mountPath}/`)) return `${hostPath.replace(/\/$/, '')}${path.slice(mountPath.length)}`;
    }
    return path;
  };
  const listenArg = container.args.find((a: string) => a.startsWith('--web.listen-address='));
  const args = container.args.map((arg: string) => {
    if (arg === listenArg) return `--web.listen-address=127.0.0.1:${port}`;
    const match = /^(--path\.[a-z]+=)(.*)$/.exec(arg);
    return match ? `${match[1]}${toHost(match[2])}` : arg;
  });
  return { args, listenArg };
}

const maybe = runIntegration ? test : test.skip;

maybe('node-exporter serves node metrics with the generated arguments', async () => {
  if (!haveBinary) throw new Error(`${BINARY} is missing (CI is set): install the Debian package "prometheus-node-exporter"`);
  const chart = new Chart(Testing.app(), 'test');
  const agent = new NodeExporterDaemon(chart, 'node-exporter');
  const ds = findManifest(synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/node-exporter'] }), 'DaemonSet', 'node-exporter');
  const port = await freePort();
  const { args, listenArg } = hostArgs(ds, port);
  expect(listenArg).toBe(`--web.listen-address=:${agent.port}`);
  expect(args.slice(0, 3)).toEqual(['--path.procfs=/proc', '--path.sysfs=/sys', '--path.rootfs=/']);

  const exporter = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  exporter.stdout!.on('data', (d) => { output += d; });
  exporter.stderr!.on('data', (d) => { output += d; });
  try {
    const base = `http://127.0.0.1:${port}`;
    const annotations = ds.spec.template.metadata.annotations;
    await waitFor(`${base}/`, exporter, () => output);
    // The probe path answers 200, as the kubelet would see it.
    const probe = ds.spec.template.spec.containers[0].livenessProbe.httpGet.path;
    expect((await get(`${base}${probe}`)).status).toBe(200);
    // Scrape where the annotations say Prometheus will.
    const { status, body } = await get(`${base}${annotations['prometheus.io/path']}`);
    expect(status).toBe(200);
    const seen = ['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_filesystem_size_bytes', 'node_load1', 'node_network_receive_bytes_total']
      .filter((metric) => new RegExp(`^${metric}[{ ]`, 'm').test(body));
    console.log(`node-exporter metrics seen: ${seen.join(', ')}`);
    expect(seen).toEqual(expect.arrayContaining(['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_filesystem_size_bytes']));
    // The root filesystem is reported from the rootfs argument, i.e. the host's "/".
    expect(body).toMatch(/^node_filesystem_size_bytes\{[^}]*mountpoint="\/"[^}]*\} [0-9.e+]+$/m);
    // No collector failed because of a wrong path.
    const failed = [...body.matchAll(/^node_scrape_collector_success\{collector="([^"]+)"\} 0$/gm)].map((m) => m[1]);
    expect(failed.filter((c) => ['cpu', 'meminfo', 'filesystem', 'loadavg', 'stat'].includes(c))).toEqual([]);
  } finally {
    const exited = new Promise((resolve) => (exporter.exitCode !== null ? resolve(undefined) : exporter.once('exit', resolve)));
    exporter.kill('SIGTERM');
    await exited;
  }
});
