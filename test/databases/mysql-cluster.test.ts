import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { MySqlCluster, MySqlClusterProps, MySqlFlavor, ResourcePreset, testing } from '../../lib';

function synth(props: MySqlClusterProps = { replicas: 3, storage: Size.gibibytes(20) }) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new MySqlCluster(chart, 'shop-db', props);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const find = (kind: string, name: string) => testing.Harness.findManifest(manifests, kind, name);
  const sts = find('StatefulSet', 'shop-db');
  const pod = sts.spec.template.spec;
  return { db, manifests, find, sts, pod, server: pod.containers[0], init: pod.initContainers[0] };
}
const env = (container: { env: { name: string; value?: string; valueFrom?: unknown }[] }) => Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
const SELECTOR = { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/instance': 'shop-db', 'app.kubernetes.io/component': 'database' };

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

test('StatefulSet: mysql:8.4 by default, uid 999, writable run/tmp/conf.d, claim on /var/lib/mysql', () => {
  const { server, pod, sts } = synth();
  expect(server.image).toBe('mysql:8.4.3');
  expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
  expect(server.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  expect(server.volumeMounts).toEqual(expect.arrayContaining([
    { name: 'data', mountPath: '/var/lib/mysql' }, { name: 'run', mountPath: '/var/run/mysqld' },
    { name: 'tmp', mountPath: '/tmp' }, { name: 'conf', mountPath: '/etc/mysql/conf.d' },
  ]));
  expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
  expect(sts.spec.selector.matchLabels).toEqual(SELECTOR);
});

test('flavors: MySQL 8.0 and MariaDB 10.11 change image, tools and statements', () => {
  expect(synth({ flavor: MySqlFlavor.mysql80() }).server.image).toBe('mysql:8.0.40');
  const maria = synth({ flavor: MySqlFlavor.mariadb1011() });
  expect(maria.server.image).toBe('mariadb:10.11.10');
  expect(env(maria.server)).toMatchObject({ MYSQL_FLAVOR: 'mariadb', MYSQL_CLIENT: 'mariadb', MYSQL_ADMIN: 'mariadb-admin' });
  expect(maria.find('ConfigMap', 'shop-db-config').data['read-only.cnf']).toContain('read_only = ON');
  expect(synth().find('ConfigMap', 'shop-db-config').data['read-only.cnf']).toContain('super_read_only = ON');
  expect(synth({ image: 'mysql:8.4.4' }).server.image).toBe('mysql:8.4.4');
});

test('configure init container derives the role from the pod name into the conf.d emptyDir', () => {
  const { init } = synth();
  expect(init.name).toBe('configure');
  expect(init.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/configure.sh']);
  expect(env(init)).toMatchObject({ POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } }, CONF_DIR: '/etc/mysql/conf.d', DATADIR: '/var/lib/mysql' });
  expect(init.volumeMounts).toEqual(expect.arrayContaining([{ name: 'conf', mountPath: '/etc/mysql/conf.d' }, { name: 'config', mountPath: '/etc/cdk8s-workloads/mysql', readOnly: true }]));
});

test('role configuration: binary log and GTID on both roles, relay log on replicas', () => {
  const data = synth({ settings: { maxConnections: 300, innodbBufferPoolSize: Size.gibibytes(1), parameters: { long_query_time: '2' } } }).find('ConfigMap', 'shop-db-config').data;
  expect(data['primary.cnf']).toMatch(/log-bin = mysql-bin\ngtid_mode = ON\nenforce_gtid_consistency = ON/);
  expect(data['replica.cnf']).toMatch(/gtid_mode = ON[\s\S]*relay-log = relay-bin/);
  expect(data['server.cnf']).toMatch(/max_connections = 300\ninnodb_buffer_pool_size = 1024M/);
  expect(data['server.cnf']).toContain('long_query_time = 2');
});

test('replication setup runs from the image init directory; primary host via the headless Service', () => {
  const { server, pod } = synth();
  expect(server.volumeMounts).toContainEqual({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
  expect(pod.volumes).toContainEqual({ name: 'initdb', configMap: { name: 'shop-db-scripts', defaultMode: 0o555, items: [{ key: 'replication-init.sh', path: '10-replication-init.sh' }] } });
  expect(env(server).PRIMARY_HOST).toBe('shop-db-0.shop-db-hl.$(POD_NAMESPACE).svc.cluster.local');
});

test('credentials by reference: root and replication passwords from the Secret', () => {
  const { server, manifests } = synth();
  expect(env(server)).toMatchObject({
    MYSQL_ROOT_PASSWORD: { secretKeyRef: { name: 'shop-db-credentials', key: 'root-password' } },
    REPLICATION_PASSWORD: { secretKeyRef: { name: 'shop-db-credentials', key: 'replication-password' } },
  });
  expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
});

test('probes: liveness mysqladmin ping, readiness SELECT 1 over 127.0.0.1, startup generous; no preStop (SIGTERM is a clean shutdown)', () => {
  const { server, find } = synth();
  expect(server.livenessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/liveness.sh']);
  expect(server.readinessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/readiness.sh']);
  const scripts = find('ConfigMap', 'shop-db-scripts').data;
  expect(scripts['liveness.sh']).toMatch(/ping/);
  expect(scripts['readiness.sh']).toMatch(/-h 127\.0\.0\.1 .* -e 'SELECT 1'/);
  expect(server.startupProbe.failureThreshold * server.startupProbe.periodSeconds).toBeGreaterThanOrEqual(600);
  expect(server.lifecycle).toBeUndefined();
});

test('Services, PDB and NetworkPolicy on 3306', () => {
  const { find, db } = synth();
  expect(find('Service', 'shop-db-primary').spec.selector).toEqual({ ...SELECTOR, 'statefulset.kubernetes.io/pod-name': 'shop-db-0' });
  expect(find('Service', 'shop-db-read').spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 3306 }]);
  expect(find('Service', 'shop-db-hl').spec.publishNotReadyAddresses).toBe(true);
  expect(find('PodDisruptionBudget', 'shop-db').spec.maxUnavailable).toBe(1);
  expect(find('NetworkPolicy', 'shop-db').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 3306 }]);
  expect([db.primaryHost, db.readHost, db.port]).toEqual(['shop-db-primary.shop.svc.cluster.local', 'shop-db-read.shop.svc.cluster.local', 3306]);
});

test('escape hatch', () => {
  const chart = new Chart(Testing.app(), 'test');
  const db = new MySqlCluster(chart, 'shop-db');
  ApiObject.of(db.configMap).addJsonPatch(JsonPatch.add('/data/extra.cnf', '[mysqld]\n'));
  expect(testing.Harness.findManifest(testing.Harness.synthValid(chart), 'ConfigMap', 'shop-db-config').data['extra.cnf']).toBe('[mysqld]\n');
});

describe('innodb_buffer_pool_size from the memory limit', () => {
  const pool = (props: MySqlClusterProps) => synth(props).find('ConfigMap', 'shop-db-config').data['server.cnf'].match(/^innodb_buffer_pool_size = (.*)$/m)?.[1];
  test('half the limit: MEDIUM (2048Mi, the default) and LARGE (4096Mi)', () => {
    expect(pool({})).toBe('1024M');
    expect(pool({ resourcePreset: ResourcePreset.LARGE })).toBe('2048M');
  });
  test('rounded down to 128M chunks; under a 256Mi limit simply half', () => {
    const cpu = { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(1000) };
    expect(pool({ resources: { cpu, memory: { request: Size.mebibytes(1000), limit: Size.mebibytes(1000) } } })).toBe('384M');
    expect(pool({ resourcePreset: ResourcePreset.NANO })).toBe('64M');
  });
  test('an explicit size below the limit is kept; without a limit the default is 512M', () => {
    expect(pool({ settings: { innodbBufferPoolSize: Size.mebibytes(1536) } })).toBe('1536M');
    // Schema-valid, but the production checks (rightly) reject a container without limits.
    const chart = new Chart(Testing.app(), 'test');
    new MySqlCluster(chart, 'shop-db', { resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1) } } });
    const server = testing.Harness.findManifest(testing.Harness.synthValid(chart, { restricted: true }), 'ConfigMap', 'shop-db-config').data['server.cnf'];
    expect(server).toMatch(/^innodb_buffer_pool_size = 512M$/m);
  });
});

describe('bad input', () => {
  const build = (props: MySqlClusterProps, id = 'shop-db') => () => new MySqlCluster(new Chart(Testing.app(), 'test'), id, props);
  test('impossible replica counts', () => expect(build({ replicas: 1.5 })).toThrow(/replicas must be an integer >= 1 \(got 1.5\)/));
  test('names too long for DNS', () => expect(build({}, 's'.repeat(60))).toThrow(/is 60 characters long; at most 52/));
  test('bad quantities', () => expect(build({ storage: Size.mebibytes(100) })).toThrow(/storage is below the minimum of 1Gi/));
  test('unpinned images', () => expect(build({ image: 'mysql' })).toThrow(/image has no tag/));
  test('conflicting props', () => expect(build({ resources: { cpu: {}, memory: {} }, resourcePreset: ResourcePreset.SMALL })).toThrow(/resources and resourcePreset are both set/));
  test('innodbBufferPoolSize at or above the memory limit', () => {
    expect(build({ settings: { innodbBufferPoolSize: Size.gibibytes(3) } }))
      .toThrow(/^test\/shop-db: settings.innodbBufferPoolSize must be below the memory limit \(2048Mi\) \(got "3072Mi"\)\. Use about half the limit \(1024Mi\)/);
  });
  test('the buffer pool passed through parameters', () => {
    expect(build({ settings: { parameters: { 'innodb-buffer-pool-size': '8G' } } })).toThrow(/settings.parameters.innodb-buffer-pool-size has a typed setting \(got "8G"\)\. Use settings.innodbBufferPoolSize/);
  });
  test('bad settings', () => {
    expect(build({ settings: { maxConnections: -1 } })).toThrow(/settings.maxConnections must be an integer >= 1/);
    expect(build({ settings: { parameters: { 'server-id': '7' } } })).toThrow(/settings.parameters.server-id is managed by the construct/);
    expect(build({ settings: { parameters: { 'Bad Name': '1' } } })).toThrow(/settings.parameters has an invalid option name/);
    expect(build({ settings: { parameters: { sql_mode: 'A\n[client]' } } })).toThrow(/must be a single line/);
  });
});
