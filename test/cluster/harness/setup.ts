/** jest globalSetup/globalTeardown for `npm run test:cluster`: one control plane for all test files. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startCluster } from './cluster';
import { stateFile } from './env';
import { stopAll } from './procs';

const log = (m: string) => process.stderr.write(`[cluster] ${m}\n`);

function locateBinaries(): string | { missing: string } {
  const result = spawnSync('bash', [path.join(__dirname, '..', 'build.sh'), '--locate'], { encoding: 'utf8', timeout: 60_000 });
  if (result.status === 0) return result.stdout.trim().split('\n').pop()!;
  return { missing: result.stderr.trim() || `build.sh --locate exited ${result.status}` };
}

export async function globalSetup(): Promise<void> {
  const state = stateFile();
  const bin = locateBinaries();
  if (typeof bin !== 'string') {
    const message = `control-plane binaries not built: ${bin.missing}`;
    if (process.env.CI) throw new Error(`${message}. In CI missing binaries fail the cluster tests.`);
    process.stderr.write(`\n!!!!! SKIPPING every cluster test: ${message} !!!!!\n\n`);
    fs.writeFileSync(state, JSON.stringify({ skip: message }));
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-workloads-cluster-'));
  const started = Date.now();
  try {
    const { info, stopProvisioner } = await startCluster(bin, dir, log);
    (globalThis as any).__cdk8sCluster = { stopProvisioner, dir };
    fs.writeFileSync(state, JSON.stringify(info));
    log(`control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in ${dir})`);
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as any).__cdk8sCluster;
  cluster?.stopProvisioner();
  const stopped = await stopAll();
  if (stopped.length) log(`stopped ${stopped.join(', ')}`);
  if (cluster && !process.env.CDK8S_CLUSTER_KEEP) fs.rmSync(cluster.dir, { recursive: true, force: true });
  else if (cluster) log(`kept ${cluster.dir} (CDK8S_CLUSTER_KEEP)`);
  fs.rmSync(stateFile(), { force: true });
}
