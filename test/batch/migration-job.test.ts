import * as kplus from 'cdk8s-plus-27';
import { Chart, Duration, Testing } from 'cdk8s';
import { IDatabaseEndpoint, MigrationJob, MigrationJobProps, PodFailurePolicy } from '../../lib';
import { WAIT_FOR_TCP_SCRIPT } from '../../lib/batch/wait-for-tcp';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { PostgresCluster } from '../../lib';

const IMAGE = 'ghcr.io/example/migrations:1.2.0';

function migrate(props: Partial<MigrationJobProps>): { construct: MigrationJob; manifest: Manifest } {
  const chart = new Chart(Testing.app(), 'test');
  const construct = new MigrationJob(chart, 'migrate', { name: 'orders-migrate', image: IMAGE, ...props });
  return { construct, manifest: findManifest(synthValid(chart, { restricted: true, production: true }), 'Job', 'orders-migrate') };
}

const container = (manifest: Manifest, name: string, init = false): Manifest =>
  manifest.spec.template.spec[init ? 'initContainers' : 'containers'].find((c: Manifest) => c.name === name);
const env = (c: Manifest): Record<string, string> => Object.fromEntries(c.env.map((e: Manifest) => [e.name, e.value]));

/** What a database construct of this library exposes (structurally an IDatabaseEndpoint). */
class FakeDatabase {
  public readonly primaryHost = 'orders-db';
  public readonly port = 5432;
  public readonly readHost = 'orders-db-read';
}

describe('MigrationJob', () => {
  test('a single run with migration defaults', () => {
    const { manifest } = migrate({ host: 'orders-db', port: 5432, command: ['migrate', 'up'] });
    expect(manifest.spec).toMatchObject({
      completions: 1, parallelism: 1, completionMode: 'NonIndexed', backoffLimit: 2, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 86400,
    });
    expect(manifest.spec.template.spec.restartPolicy).toBe('Never');
    expect(manifest.metadata.labels['app.kubernetes.io/component']).toBe('migration');
    expect(container(manifest, 'migrate').command).toEqual(['migrate', 'up']);
  });

  test('the init container waits for host:port with a pinned busybox and the wait script', () => {
    const { manifest } = migrate({ host: 'orders-db.prod.svc', port: 5432 });
    const wait = container(manifest, 'wait-for-database', true);
    expect(wait.image).toBe('busybox:1.36');
    expect(wait.command).toEqual(['sh', '-c', WAIT_FOR_TCP_SCRIPT]);
    expect(wait.command[2]).toContain('nc -z -w');
    expect(env(wait)).toEqual({ WAIT_HOST: 'orders-db.prod.svc', WAIT_PORT: '5432', WAIT_TIMEOUT_SECONDS: '300', WAIT_INTERVAL_SECONDS: '2' });
    expect(wait.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
    expect(wait.securityContext).toMatchObject({ runAsUser: 65532, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('takes any IDatabaseEndpoint, e.g. a database construct', () => {
    const database: IDatabaseEndpoint = new FakeDatabase();
    const { construct, manifest } = migrate({ database });
    expect(env(container(manifest, 'wait-for-database', true))).toMatchObject({ WAIT_HOST: 'orders-db', WAIT_PORT: '5432' });
    expect(construct.host).toBe('orders-db');
    expect(construct.port).toBe(5432);
    expect(construct.job).toBeInstanceOf(kplus.Job);
  });

  test('with a real PostgresCluster, the pods carry its client labels so its NetworkPolicy admits them', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const db = new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    new MigrationJob(chart, 'migrate', { name: 'orders-migrate', image: IMAGE, database: db, podLabels: { team: 'orders' } });
    const manifests = synthValid(chart, { restricted: true, production: true });
    const podLabels = findManifest(manifests, 'Job', 'orders-migrate').spec.template.metadata.labels;
    expect(podLabels).toMatchObject({ 'cdk8s-workloads.io/client-of': 'orders-db', team: 'orders', 'app.kubernetes.io/component': 'migration' });
    const ingress = findManifest(manifests, 'NetworkPolicy', 'orders-db').spec.ingress[0].from;
    expect(ingress).toContainEqual({ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'orders-db' } } });
    expect(env(container(findManifest(manifests, 'Job', 'orders-migrate'), 'wait-for-database', true))).toMatchObject({ WAIT_HOST: 'orders-db-primary.shop.svc.cluster.local', WAIT_PORT: '5432' });
  });

  test('wait timeout, wait image, deadline, backoffLimit and component are overridable', () => {
    const { manifest } = migrate({
      host: '10.0.0.12', port: 3306, waitTimeout: Duration.minutes(2), waitImage: 'busybox:1.36.1',
      activeDeadline: Duration.hours(1), backoffLimit: 0, component: 'schema',
    });
    const wait = container(manifest, 'wait-for-database', true);
    expect(wait.image).toBe('busybox:1.36.1');
    expect(env(wait)).toMatchObject({ WAIT_HOST: '10.0.0.12', WAIT_PORT: '3306', WAIT_TIMEOUT_SECONDS: '120' });
    expect(manifest.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 0 });
    expect(manifest.metadata.labels['app.kubernetes.io/component']).toBe('schema');
  });

  test('a pod failure policy may target the wait container', () => {
    const { manifest } = migrate({ host: 'db', port: 5432, podFailurePolicy: new PodFailurePolicy().ignoreExitCodes([1], { containerName: 'wait-for-database' }) });
    expect(manifest.spec.podFailurePolicy.rules[0].onExitCodes.containerName).toBe('wait-for-database');
  });
});

describe('MigrationJob errors', () => {
  const build = (props: Partial<MigrationJobProps>) => () => new MigrationJob(new Chart(Testing.app(), 'test'), 'migrate', { image: IMAGE, ...props });

  test('both database and host/port', () => {
    expect(build({ database: new FakeDatabase(), host: 'other', port: 5432 })).toThrow(/test\/migrate: 2 configuration problem\(s\):\n {2}- database is set \(orders-db:5432\)\n {2}- host\/port are set \(other:5432\); pass either database or host and port, not both/);
  });
  test('neither database nor host', () => {
    expect(build({ port: 5432 })).toThrow(/test\/migrate: host is required without a database \(got 5432\)\. Pass database/);
  });
  test('host without port', () => {
    expect(build({ host: 'db' })).toThrow(/test\/migrate: port is required without a database \(got "db"\)/);
  });
  test('a host that is not a DNS name or IP', () => {
    expect(build({ host: 'db; rm -rf /', port: 5432 })).toThrow(/host is not a DNS name or IP address \(got "db; rm -rf \/"\)/);
  });
  test('a database port out of range', () => {
    expect(build({ database: { primaryHost: 'db', port: 70000 } })).toThrow(/database\.port must be an integer 1-65535 \(got 70000\)/);
  });
  test('a wait timeout as long as the deadline', () => {
    expect(build({ host: 'db', port: 5432, waitTimeout: Duration.minutes(30) })).toThrow(/waitTimeout must be shorter than activeDeadline \(1800s\) \(got "1800s"\)/);
  });
  test('a zero wait timeout', () => {
    expect(build({ host: 'db', port: 5432, waitTimeout: Duration.seconds(0) })).toThrow(/waitTimeout must be at least 1 second\(s\)/);
  });
  test('an unpinned wait image', () => {
    expect(build({ host: 'db', port: 5432, waitImage: 'busybox' })).toThrow(/waitImage has no tag \(got "busybox"\)/);
  });
});
