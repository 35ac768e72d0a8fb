/** What a cluster test file sees: the running control plane, an API client and kubectl. */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Api } from './api';
import type { ClusterInfo } from './cluster';

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
  describe(name, body);
  afterAll(() => { current?.api.close(); });
}

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);
