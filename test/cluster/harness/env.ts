/** What a cluster test file sees: the running control plane, an API client and kubectl. */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Api } from './api';
import type { ClusterInfo } from './cluster';
import { waitFor } from './wait';

export function stateFile(): string {
  return process.env.CDK8S_CLUSTER_STATE ?? path.join(os.tmpdir(), 'cdk8s-workloads-cluster-state.json');
}

function readState(): (ClusterInfo & { skip?: undefined }) | { skip: string } {
  const file = stateFile();
  if (!fs.existsSync(file)) return { skip: `no cluster state file ${file}: run these tests with npm run test:cluster` };
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export interface KubectlResult { code: number; stdout: string; stderr: string }

export class TestCluster {
  readonly api: Api;
  constructor(readonly info: ClusterInfo) {
    this.api = new Api({ server: info.server, caCert: info.caCert, clientCert: info.adminCert, clientKey: info.adminKey });
  }

  /** Runs the cluster's kubectl (same release as the server); never throws, 120 s limit. */
  kubectl(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(path.join(this.info.bin, 'kubectl'), args, {
        env: { ...process.env, KUBECONFIG: this.info.kubeconfig }, timeout: 120_000, maxBuffer: 32 << 20,
      }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: error && code === -1 ? `${stderr}\n${error.message}` : stderr });
      });
      if (input !== undefined) child.stdin!.end(input);
    });
  }

  /** Like kubectl(), but throws with the output when kubectl fails. */
  async mustKubectl(args: string[], input?: string): Promise<string> {
    const r = await this.kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }
}

let current: TestCluster | undefined;
/** The running cluster (valid inside a describeCluster body's hooks and tests). */
export function cluster(): TestCluster {
  if (!current) throw new Error('no cluster: use describeCluster');
  return current;
}

/**
 * `describe` that runs only when the control plane is up. The global setup fails the run in CI
 * when the binaries are missing; locally it writes a skip reason, shown here loudly.
 */
export function describeCluster(name: string, body: () => void): void {
  const state = readState();
  if (state.skip !== undefined) {
    // eslint-disable-next-line no-console
    console.warn(`\n!!!!! SKIPPING "${name}": ${state.skip} !!!!!\n`);
    describe.skip(name, body);
    return;
  }
  current ??= new TestCluster(state as ClusterInfo);
  // Files share one control plane and its fake nodes' capacity: what a file creates must not
  // crowd out the next file's pods, so its namespaces go (and are gone) before the next starts.
  let existing: Set<string> | undefined;
  beforeAll(async () => { existing = new Set(await namespaceNames(current!.api)); });
  describe(name, body);
  afterAll(async () => {
    try {
      if (existing) await deleteNamespacesExcept(current!.api, existing);
    } finally {
      current?.api.close();
    }
  }, NAMESPACE_DELETION_MS + 30_000);
}

const NAMESPACE_DELETION_MS = 180_000;

async function namespaceNames(api: Api): Promise<string[]> {
  return (await api.list('/api/v1/namespaces')).map((n) => n.metadata.name as string);
}

/** Deletes every namespace not in `keep` and waits until the namespace controller has removed them. */
async function deleteNamespacesExcept(api: Api, keep: Set<string>): Promise<void> {
  const created = (await namespaceNames(api)).filter((n) => !keep.has(n));
  for (const ns of created) {
    await api.delete(`/api/v1/namespaces/${ns}`).catch((e: Error) => { if (!/404|NotFound/.test(e.message)) throw e; });
  }
  await waitFor(`namespaces ${created.join(', ')} to be deleted`, NAMESPACE_DELETION_MS, async () => {
    const left = (await namespaceNames(api)).filter((n) => created.includes(n));
    const pods = await Promise.all(left.map(async (ns) => `${ns}: ${(await api.list(`/api/v1/namespaces/${ns}/pods`)).length} pods`));
    return { done: left.length === 0, state: pods.join('; ') || 'none left' };
  }, 1_000);
}

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);
