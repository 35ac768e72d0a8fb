/** Certificates and keys for a loopback control plane, generated with openssl into a temp dir. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** service-account token signing key pair */
  saKey: string;
  saPub: string;
  /** client certificates by user name: { cert, key } */
  clients: Record<string, { cert: string; key: string }>;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });

function signed(dir: string, name: string, subject: string, ext: string): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.crt`);
  const extFile = path.join(dir, `${name}.ext`);
  fs.writeFileSync(extFile, ext);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', subject, '-out', csr], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-extfile', extFile, '-out', cert], dir);
  return { cert, key };
}

/**
 * One CA signs the API server's serving certificate (127.0.0.1, localhost) and one client
 * certificate per component. Users: `admin` (group system:masters, for the tests and kwok),
 * `system:kube-controller-manager` and `system:kube-scheduler` (bound by the bootstrap RBAC policy).
 */
export function createPki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', '/CN=cdk8s-workloads-test-ca'], dir);
  const server = signed(dir, 'apiserver', '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
  const client = (name: string, subject: string) => signed(dir, name, subject, 'extendedKeyUsage=clientAuth\n');
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    serverCert: server.cert,
    serverKey: server.key,
    saKey: path.join(dir, 'sa.key'),
    saPub: path.join(dir, 'sa.pub'),
    clients: {
      'admin': client('admin', '/O=system:masters/CN=admin'),
      'system:kube-controller-manager': client('controller-manager', '/CN=system:kube-controller-manager'),
      'system:kube-scheduler': client('scheduler', '/CN=system:kube-scheduler'),
    },
  };
}

/** A kubeconfig for one client certificate. */
export function writeKubeconfig(file: string, server: string, caCert: string, client: { cert: string; key: string }): string {
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: test', '  cluster:', `    server: ${server}`, `    certificate-authority: ${caCert}`,
    'users:', '- name: test', '  user:', `    client-certificate: ${client.cert}`, `    client-key: ${client.key}`,
    'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test',
    'current-context: test', '',
  ].join('\n'));
  return file;
}
