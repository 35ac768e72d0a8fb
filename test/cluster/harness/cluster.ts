/**
 * Starts a loopback control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and kwok (fake nodes and pod lifecycles), then creates the fake nodes and storage classes.
 */
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { Api } from './api';
import { fakeNodes } from './nodes';
import { createPki, writeKubeconfig } from './pki';
import { assertRunning, Proc, startProcess, tail } from './procs';
import { startProvisioner, storageClasses } from './provisioner';
import { waitFor } from './wait';

export interface ClusterInfo {
  dir: string;
  bin: string;
  server: string;
  kubeconfig: string;
  caCert: string;
  adminCert: string;
  adminKey: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
    }).on('error', reject).on('timeout', function (this: http.ClientRequest) { this.destroy(new Error('timeout')); });
  });
}

/** Waits for a component, failing at once (with its log) if it exits. */
async function waitReady(proc: Proc, timeoutMs: number, probe: () => Promise<{ done: boolean; state: string }>) {
  await waitFor(`${proc.name} to be ready (log ${proc.log})`, timeoutMs, async () => {
    assertRunning(proc);
    return probe();
  }, 500).catch((e) => { throw new Error(`${e.message}\n--- ${proc.name} log tail ---\n${tail(proc)}`); });
}

export async function startCluster(bin: string, dir: string, log: (m: string) => void): Promise<{ info: ClusterInfo; stopProvisioner: () => void }> {
  const exe = (name: string) => path.join(bin, name);
  const pki = createPki(path.join(dir, 'pki'));
  const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = (user: string, file: string) => writeKubeconfig(path.join(dir, file), server, pki.caCert, pki.clients[user]);
  const admin = kubeconfig('admin', 'admin.kubeconfig');

  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  // --unsafe-no-fsync: a throwaway store; durability is not under test and fsync is slow here.
  const etcd = startProcess('etcd', exe('etcd'), [
    '--name=test', `--data-dir=${path.join(dir, 'etcd')}`, '--log-level=warn', '--unsafe-no-fsync',
    `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`, `--initial-cluster=test=${peerUrl}`,
  ], dir);
  await waitReady(etcd, 60_000, async () => {
    const body = await httpGet(`${etcdUrl}/health`);
    return { done: /"health":"true"/.test(body), state: body };
  });
  log(`etcd ready on ${etcdUrl}`);

  const apiserver = startProcess('kube-apiserver', exe('kube-apiserver'), [
    `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
    `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--client-ca-file=${pki.caCert}`,
    '--authorization-mode=RBAC', '--enable-admission-plugins=PodSecurity,DefaultStorageClass', '--allow-privileged=true',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16', '--endpoint-reconciler-type=none', `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
  ], dir);
  const api = new Api({ server, caCert: pki.caCert, clientCert: pki.clients.admin.cert, clientKey: pki.clients.admin.key });
  await waitReady(apiserver, 120_000, async () => {
    const body = await api.get<string>('/readyz');
    return { done: body === 'ok', state: String(body) };
  });
  log(`kube-apiserver ready on ${server}`);

  startProcess('kube-controller-manager', exe('kube-controller-manager'), [
    `--kubeconfig=${kubeconfig('system:kube-controller-manager', 'controller-manager.kubeconfig')}`,
    '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`, `--cert-dir=${path.join(dir, 'kcm-certs')}`,
    '--leader-elect=false', '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
  ], dir);
  startProcess('kube-scheduler', exe('kube-scheduler'), [
    `--kubeconfig=${kubeconfig('system:kube-scheduler', 'scheduler.kubeconfig')}`,
    '--bind-address=127.0.0.1', `--secure-port=${await freePort()}`, '--leader-elect=false',
  ], dir);
  startProcess('kwok', exe('kwok'), [
    `--kubeconfig=${admin}`, `--config=${path.join(__dirname, '..', 'kwok', 'stages.yaml')}`,
    '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--cidr=10.0.0.0/16', '--node-lease-duration-seconds=40',
  ], dir);

  for (const sc of storageClasses()) await api.post('/apis/storage.k8s.io/v1/storageclasses', sc);
  for (const node of fakeNodes()) await api.post('/api/v1/nodes', node);
  await waitFor('4 fake nodes Ready and untainted by the node lifecycle controller', 120_000, async () => {
    const nodes = await api.list('/api/v1/nodes');
    const ready = nodes.filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
      && !(n.spec.taints ?? []).some((t: any) => t.key.startsWith('node.kubernetes.io/')));
    return { done: ready.length === 4, state: JSON.stringify(nodes.map((n) => ({ name: n.metadata.name, taints: n.spec.taints, conditions: n.status?.conditions?.map((c: any) => `${c.type}=${c.status}`) }))) };
  }, 500);
  // the service-account controller must have run before pods can be admitted in new namespaces
  await waitFor('the default ServiceAccount in namespace default', 60_000, async () => {
    const sas = await api.list('/api/v1/namespaces/default/serviceaccounts');
    return { done: sas.length > 0, state: `${sas.length} service accounts` };
  });
  log('controller manager, scheduler and kwok running; 4 nodes Ready');
  const stopProvisioner = startProvisioner(api, log);
  return {
    info: { dir, bin, server, kubeconfig: admin, caCert: pki.caCert, adminCert: pki.clients.admin.cert, adminKey: pki.clients.admin.key },
    stopProvisioner: () => { stopProvisioner(); api.close(); },
  };
}
