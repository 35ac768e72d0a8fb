/**
 * ElasticsearchCluster's start, readiness and liveness scripts (OpenSearch flavor, from the
 * synthesized YAML) executed against real OpenSearch 2.19.6 nodes built from Maven Central jars.
 * What differs from a pod: the nodes run on 127.0.0.1 with one port pair each, without the
 * security plugin (not on Maven Central), so requests are plain HTTP and the password and CA are
 * sent but not checked; a stand-in for the image's entrypoint turns dotted env vars into -E
 * settings as the official entrypoint does. TLS, authentication and the admin-password hashing
 * are not exercised here.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ElasticsearchCluster, ElasticsearchFlavor, testing } from '../../../lib';
import { describeWithBinaries } from '../../support/binaries';
import { isRoot, runAs, tempDirFor, waitFor, writeShared } from '../../support/run';
import { JAVA_AND_MAVEN, openSearchHome } from './opensearch-home';

const USER = 'nobody';
const NODE_START_MS = 150_000;

function synthesized() {
  const chart = new Chart(Testing.app(), 'it', { namespace: 'search' });
  new ElasticsearchCluster(chart, 'es', { flavor: ElasticsearchFlavor.openSearch() });
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const scripts = testing.Harness.findManifest(manifests, 'ConfigMap', 'es-scripts').data as Record<string, string>;
  const settings = testing.Harness.findManifest(manifests, 'ConfigMap', 'es-config').data['opensearch.yml'] as string;
  return { scripts, settings };
}

// The image's entrypoint, reduced to what start.sh relies on: dotted env vars become -E settings.
const ENTRYPOINT = `#!/bin/bash
i="\${POD_NAME##*-}"
opts=()
while IFS='=' read -r k v; do
  if [[ "$k" =~ ^[a-z0-9_]+\\.[a-z0-9_]+ ]] && [[ -n "$v" ]]; then opts+=("-E$k=$v"); fi
done < <(env)
exec java -Xms256m -Xmx256m -Dopensearch.path.home="$OS_HOME" -Dopensearch.path.conf="$OS_CONF" -Dlog4j2.disable.jmx=true -Djava.security.manager=allow \\
  -cp "$OS_HOME/lib/*" org.opensearch.bootstrap.OpenSearch -Ehttp.port="$((HTTP_BASE + i))" -Etransport.port="$((TRANSPORT_BASE + i))" \\
  -Epath.data="$ES_DATA_DIR" -Epath.logs="$WORK/logs$i" "\${opts[@]}"
`;

/** One test cluster: its directory, ports and running nodes. */
class TestCluster {
  public readonly dir = tempDirFor(USER, 'opensearch-it-');
  // Ports <base>0..<base>4 for HTTP, <base>5..<base>9 for transport: peer_url appends the ordinal.
  public readonly base = 2000 + Math.floor(Math.random() * 3000);
  private readonly nodes = new Set<number>();
  private readonly started = new Map<number, number>();

  constructor(private readonly home: string, scripts: Record<string, string>, settings: string) {
    const scriptsDir = path.join(this.dir, 'scripts');
    for (const [name, body] of Object.entries(scripts)) writeShared(path.join(scriptsDir, name), body, 0o755);
    writeShared(path.join(this.dir, 'entrypoint.sh'), ENTRYPOINT, 0o755);
    // The synthesized settings without the security plugin's keys and the network keys that differ on one host.
    const kept = settings.split('\n').filter((l) => !/^(plugins\.security|network\.host|http\.port|transport\.port|discovery\.seed_hosts)/.test(l));
    const seeds = [0, 1, 2].map((i) => `"127.0.0.1:${this.base * 10 + 5 + i}"`).join(', ');
    // One config directory per node, as each pod has its own emptyDir: the server writes its
    // keystore there at startup (nodes sharing one directory race on opensearch.keystore.tmp).
    for (const i of [0, 1, 2]) {
      const conf = path.join(this.dir, `conf${i}`);
      writeShared(path.join(conf, 'opensearch.yml'), [...kept, 'network.host: "127.0.0.1"', `discovery.seed_hosts: [${seeds}]`, ''].join('\n'));
      for (const f of ['log4j2.properties', 'jvm.options']) fs.copyFileSync(path.join(home, 'config', f), path.join(conf, f));
    }
    writeShared(path.join(this.dir, 'password'), 'not-checked-without-the-security-plugin');
    writeShared(path.join(this.dir, 'ca.crt'), '');
    if (isRoot) spawnSync('chown', ['-R', `${USER}:`, this.dir]);
  }

  public env(i: number, extra: Record<string, string> = {}): Record<string, string> {
    return {
      WORK: this.dir, OS_HOME: this.home, OS_CONF: path.join(this.dir, `conf${i}`), POD_NAME: `es-${i}`,
      HTTP_BASE: String(this.base * 10), TRANSPORT_BASE: String(this.base * 10 + 5),
      SCRIPTS_DIR: path.join(this.dir, 'scripts'), ES_DATA_DIR: path.join(this.dir, `data${i}`),
      ES_READY_MARKER: path.join(this.dir, `ready${i}`), ES_USER: 'admin', ES_PASSWORD_FILE: path.join(this.dir, 'password'),
      ES_CA_FILE: path.join(this.dir, 'ca.crt'), ES_URL: this.url(i), ES_CURL_TIMEOUT: '2',
      PEER_URL_PREFIX: `http://127.0.0.1:${this.base}`, PEER_URL_SUFFIX: '', ...extra,
    };
  }

  public url(i: number): string {
    return `http://127.0.0.1:${this.base * 10 + i}`;
  }

  /**
   * start.sh as the container command runs it, with the stand-in entrypoint. Output goes to a
   * file, not a pipe: the tests wait synchronously, and a full pipe would block the node.
   */
  public start(i: number, bootstrapNodes: number): void {
    fs.mkdirSync(path.join(this.dir, `data${i}`), { recursive: true });
    if (isRoot) spawnSync('chown', [`${USER}:`, path.join(this.dir, `data${i}`)]);
    const env = Object.entries(this.env(i, { BOOTSTRAP_NODES: String(bootstrapNodes), PATH: process.env.PATH ?? '/usr/bin:/bin' })).map(([k, v]) => `${k}=${v}`);
    const args = ['/bin/sh', path.join(this.dir, 'scripts', 'start.sh'), path.join(this.dir, 'entrypoint.sh')];
    const log = fs.openSync(this.logFile(i), 'w');
    const options = { stdio: ['ignore', log, log] as ('ignore' | number)[], detached: true };
    const child = isRoot ? spawn('runuser', ['-u', USER, '--', 'env', ...env, ...args], options) : spawn('env', [...env, ...args], options);
    fs.closeSync(log);
    child.unref();
    this.nodes.add(i);
    this.started.set(i, Date.now());
  }

  private logFile(i: number): string {
    return path.join(this.dir, `node${i}.log`);
  }

  public log(i: number): string {
    return fs.existsSync(this.logFile(i)) ? fs.readFileSync(this.logFile(i), 'latin1') : '';
  }

  public startLine(i: number): string {
    return this.log(i).split('\n').find((l) => l.startsWith('start:')) ?? '';
  }

  /** The pids of node i's server (runuser starts it in a session of its own): its data path is unique. */
  private serverPids(i: number): number[] {
    const found = spawnSync('pgrep', ['-f', `path.data=${path.join(this.dir, `data${i}`)}`], { encoding: 'utf8' }).stdout;
    return found.split('\n').filter(Boolean).map(Number);
  }

  /** SIGTERM to the node's server (OpenSearch shuts down cleanly), then wait until it is gone. */
  public stop(i: number): void {
    if (!this.nodes.has(i)) return;
    for (const pid of this.serverPids(i)) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    waitFor(`es-${i} to stop`, () => this.serverPids(i).length === 0, 60_000);
    this.nodes.delete(i);
  }

  public running(i: number): boolean {
    return this.nodes.has(i) && this.serverPids(i).length > 0;
  }

  public stopAll(): void {
    for (const i of [...this.nodes.keys()]) this.stop(i);
  }

  /** Runs one of the synthesized scripts as the server user; returns its exit code and stderr. */
  public script(name: string, i: number, extra: Record<string, string> = {}): { status: number | null; stderr: string } {
    const result = runAs(USER, '/bin/sh', [path.join(this.dir, 'scripts', name)], this.env(i, extra));
    return { status: result.status, stderr: result.stderr };
  }

  public get(i: number, api: string): string {
    return spawnSync('curl', ['-s', '--max-time', '10', `${this.url(i)}${api}`], { encoding: 'utf8' }).stdout;
  }

  public waitReady(i: number, timeoutMs = NODE_START_MS): void {
    try {
      waitFor(`es-${i} to pass readiness`, () => {
        // start.sh checks its peers before it starts the server: allow it 30 s to appear.
        if (Date.now() - (this.started.get(i) ?? 0) > 30_000 && !this.running(i)) throw new Error(`es-${i} exited`);
        return this.script('readiness.sh', i).status === 0;
      }, timeoutMs);
    } catch (e) {
      throw new Error(`${(e as Error).message}; its log ends:\n${this.log(i).slice(-3000)}`);
    }
  }

  public formedMarker(i: number): boolean {
    return fs.existsSync(path.join(this.dir, `data${i}`, '.cdk8s-workloads-cluster-formed'));
  }
}

const clusterUuid = (body: string) => /"cluster_uuid" *: *"([^"]+)"/.exec(body)?.[1];

describeWithBinaries('ElasticsearchCluster scripts against real OpenSearch 2.19.6', JAVA_AND_MAVEN, () => {
  jest.setTimeout(600_000);
  const { scripts, settings } = synthesized();
  let home: string;
  beforeAll(() => { home = openSearchHome(); });

  describe('three new nodes started in parallel', () => {
    let cluster: TestCluster;
    beforeAll(() => {
      cluster = new TestCluster(home, scripts, settings);
      for (const i of [0, 1, 2]) cluster.start(i, 3);
      for (const i of [0, 1, 2]) cluster.waitReady(i);
    });
    afterAll(() => cluster?.stopAll());

    test('bootstrap with cluster.initial_master_nodes from the ordinals, one cluster, every volume marked as formed', () => {
      for (const i of [0, 1, 2]) expect(cluster.startLine(i)).toBe('start: no cluster has formed yet: bootstrapping with cluster.initial_master_nodes=es-0,es-1,es-2');
      expect(cluster.get(0, '/_cat/nodes?h=name').split('\n').filter(Boolean).sort()).toEqual(['es-0', 'es-1', 'es-2']);
      const uuids = new Set([0, 1, 2].map((i) => clusterUuid(cluster.get(i, '/'))));
      expect(uuids.size).toBe(1);
      expect([...uuids][0]).not.toBe('_na_');
      for (const i of [0, 1, 2]) expect(cluster.formedMarker(i)).toBe(true);
    });

    test('a new pod waits for green: a yellow cluster keeps it unready (HTTP 408), yellow is enough with ES_READY_STATUS=yellow; a pod that passed stays ready', () => {
      expect(cluster.get(0, '/_cluster/health')).toContain('"status":"green"');
      // Five replicas on three nodes can never all be assigned: the cluster stays yellow.
      spawnSync('curl', ['-s', '-XPUT', `${cluster.url(0)}/stuck-yellow`, '-H', 'content-type: application/json', '-d', '{"settings":{"number_of_replicas":5}}']);
      waitFor('yellow', () => cluster.get(0, '/_cluster/health').includes('"status":"yellow"'));
      const fresh = { ES_READY_MARKER: path.join(cluster.dir, 'fresh-marker') };
      const notGreen = cluster.script('readiness.sh', 1, fresh);
      expect(notGreen.status).toBe(1);
      expect(notGreen.stderr).toContain('the cluster is not green yet (HTTP 408)');
      expect(cluster.script('readiness.sh', 1).status).toBe(0);
      expect(cluster.script('readiness.sh', 1, { ...fresh, ES_READY_STATUS: 'yellow' }).status).toBe(0);
      spawnSync('curl', ['-s', '-XDELETE', `${cluster.url(0)}/stuck-yellow`]);
      waitFor('green', () => cluster.get(0, '/_cluster/health').includes('"status":"green"'));
    });

    test('a restarted node never sets cluster.initial_master_nodes again and rejoins', () => {
      cluster.stop(2);
      fs.rmSync(path.join(cluster.dir, 'ready2'), { force: true }); // a new pod has a new /tmp
      cluster.start(2, 3);
      cluster.waitReady(2);
      expect(cluster.startLine(2)).toBe('start: this volume has been part of a formed cluster: cluster.initial_master_nodes stays unset');
      expect(cluster.get(0, '/_cat/nodes?h=name').split('\n').filter(Boolean).sort()).toEqual(['es-0', 'es-1', 'es-2']);
    });

    test('without a master: a node that passed stays ready and live (local health 200); a new pod is not ready (503)', () => {
      cluster.stop(1);
      cluster.stop(2);
      waitFor('es-0 to lose its master', () => cluster.get(0, '/_cluster/health?local=true').includes('"discovered_cluster_manager":false'), 60_000);
      expect(cluster.script('readiness.sh', 0).status).toBe(0);
      expect(cluster.script('liveness.sh', 0).status).toBe(0);
      const fresh = cluster.script('readiness.sh', 0, { ES_READY_MARKER: path.join(cluster.dir, 'fresh-marker-0') });
      expect(fresh.status).toBe(1);
      expect(fresh.stderr).toContain('HTTP 503');
    });

    test('liveness fails when nothing answers', () => {
      cluster.stop(0);
      const dead = cluster.script('liveness.sh', 0);
      expect(dead.status).toBe(1);
      expect(dead.stderr).toContain('did not answer HTTP');
    });
  });

  describe('scale-up from one node to three', () => {
    let cluster: TestCluster;
    beforeAll(() => {
      cluster = new TestCluster(home, scripts, settings);
      cluster.start(0, 1);
      cluster.waitReady(0);
      for (const i of [1, 2]) cluster.start(i, 3);
      for (const i of [1, 2]) cluster.waitReady(i);
    });
    afterAll(() => cluster?.stopAll());

    test('the new bootstrap ordinals find the formed cluster on es-0 and join it instead of electing a second one', () => {
      expect(cluster.startLine(0)).toBe('start: no cluster has formed yet: bootstrapping with cluster.initial_master_nodes=es-0');
      for (const i of [1, 2]) expect(cluster.startLine(i)).toBe('start: es-0 already belongs to a formed cluster: joining it');
      expect(new Set([0, 1, 2].map((i) => clusterUuid(cluster.get(i, '/')))).size).toBe(1);
      expect(cluster.get(2, '/_cat/nodes?h=name').split('\n').filter(Boolean).sort()).toEqual(['es-0', 'es-1', 'es-2']);
    });
  });
});
