/** The engines' exporter sidecars (`metrics: true`): image, user, port, credentials by reference, scrape access. */
import { Chart, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { MySqlCluster, MySqlFlavor, PostgresCluster, RedisCluster, ReplicatedDatabase, RedisEngine, testing } from '../../lib';

function synth(make: (chart: Chart) => ReplicatedDatabase) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = make(chart);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const sts = testing.Harness.findManifest(manifests, 'StatefulSet', db.name);
  const metrics = sts.spec.template.spec.containers.find((c: any) => c.name === 'metrics');
  const policy = testing.Harness.findManifest(manifests, 'NetworkPolicy', db.name);
  return { db, sts, metrics, policy };
}
const storage = Size.gibibytes(5);

test.each([
  ['MySQL 8.4', (c: Chart) => new MySqlCluster(c, 'shop-db', { storage, metrics: true }), 'quay.io/prometheus/mysqld-exporter:v0.18.0', 65534, 9104, '/', { MYSQLD_EXPORTER_PASSWORD: 'root-password' }],
  ['MariaDB 10.11', (c: Chart) => new MySqlCluster(c, 'shop-db', { storage, metrics: true, flavor: MySqlFlavor.mariadb1011() }), 'quay.io/prometheus/mysqld-exporter:v0.18.0', 65534, 9104, '/', { MYSQLD_EXPORTER_PASSWORD: 'root-password' }],
  ['Redis', (c: Chart) => new RedisCluster(c, 'cache', { storage, metrics: true }), 'oliver006/redis_exporter:v1.80.0', 59000, 9121, '/health', { REDIS_PASSWORD: 'redis-password' }],
  ['PostgreSQL', (c: Chart) => new PostgresCluster(c, 'orders-db', { storage, metrics: true }), 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', 65534, 9187, '/metrics', { DATA_SOURCE_PASS: 'postgres-password' }],
] as const)('%s: the exporter sidecar runs pinned, as its image user, read-only, with the password by Secret reference', (_name, make, image, uid, port, health, secretEnv) => {
  const { db, sts, metrics, policy } = synth(make);
  expect(metrics).toMatchObject({
    image,
    ports: [{ name: 'metrics', containerPort: port }],
    securityContext: { runAsUser: uid, runAsGroup: uid, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    resources: { requests: expect.any(Object), limits: expect.any(Object) },
    readinessProbe: { httpGet: { path: health, port } },
    livenessProbe: { httpGet: { path: health, port } },
  });
  expect(db.metricsContainer?.name).toBe('metrics');
  for (const [name, key] of Object.entries(secretEnv)) {
    expect(metrics.env).toContainEqual({ name, valueFrom: { secretKeyRef: { name: `${db.name}-credentials`, key } } });
  }
  // No literal value anywhere looks like a credential: every value is an address, a user or a URI.
  expect(metrics.env.filter((e: any) => e.value !== undefined).map((e: any) => e.name)).not.toContainEqual(expect.stringMatching(/PASS/));
  expect(sts.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
  expect(policy.spec.ingress).toContainEqual({ ports: [{ protocol: 'TCP', port }] });
});

test('mysqld-exporter connects to the loopback as root', () => {
  const { metrics } = synth((c) => new MySqlCluster(c, 'shop-db', { storage, metrics: true }));
  expect(metrics.args).toEqual(['--mysqld.address=127.0.0.1:3306', '--mysqld.username=root', '--web.listen-address=:9104']);
});

test('redis_exporter scrapes the loopback', () => {
  const { metrics } = synth((c) => new RedisCluster(c, 'cache', { storage, metrics: true }));
  expect(metrics.env).toContainEqual({ name: 'REDIS_ADDR', value: 'redis://127.0.0.1:6379' });
});

test('without metrics there is no sidecar, no annotations and no scrape port', () => {
  const { db, sts, metrics, policy } = synth((c) => new RedisCluster(c, 'cache', { storage }));
  expect(metrics).toBeUndefined();
  expect(db.metricsContainer).toBeUndefined();
  expect(sts.spec.template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
  expect(JSON.stringify(policy.spec.ingress)).not.toContain('9121');
});

test('metricsImage overrides the pinned exporter image', () => {
  const { metrics } = synth((c) => new RedisCluster(c, 'cache', { storage, metrics: true, metricsImage: 'registry.example/redis_exporter:v1.80.0' }));
  expect(metrics.image).toBe('registry.example/redis_exporter:v1.80.0');
});

test('metrics on an engine that supplies no exporter is a ConfigurationError', () => {
  class PlainRedisEngine extends RedisEngine { public metricsExporter() { return undefined; } }
  class PlainRedis extends ReplicatedDatabase { constructor(scope: Construct, id: string) { super(scope, id, new PlainRedisEngine(), { metrics: true }); } }
  expect(() => new PlainRedis(new Chart(Testing.app(), 'c'), 'kv')).toThrow(/kv: metrics is not supported by the redis engine: it supplies no exporter \(got true\)/);
});

test('metrics must be a boolean', () => {
  expect(() => new RedisCluster(new Chart(Testing.app(), 'c'), 'cache', { metrics: 'yes' as any })).toThrow(/metrics must be true or false/);
});
