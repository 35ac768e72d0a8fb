import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { RedisCluster, RedisClusterProps, RedisEvictionPolicy, ResourcePreset, testing } from '../../lib';

function synth(props: RedisClusterProps = { replicas: 3, storage: Size.gibibytes(5) }) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new RedisCluster(chart, 'cache', props);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const find = (kind: string, name: string) => testing.Harness.findManifest(manifests, kind, name);
  const sts = find('StatefulSet', 'cache');
  return { db, manifests, find, sts, pod: sts.spec.template.spec, server: sts.spec.template.spec.containers[0], conf: find('ConfigMap', 'cache-config').data['redis.conf'] as string };
}
const env = (container: { env: { name: string; value?: string; valueFrom?: unknown }[] }) => Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

test('3 replicas with their own 5Gi volumes on /data, redis:7 pinned, uid 999, only /data writable', () => {
  const { sts, server, pod } = synth();
  expect(sts.spec.replicas).toBe(3);
  expect(sts.spec.volumeClaimTemplates[0]).toEqual({ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } });
  expect(server.image).toBe('redis:7.2.5');
  expect(server.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  expect(pod.volumes.filter((v: { emptyDir?: unknown }) => v.emptyDir)).toEqual([]);
  expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
  expect(pod.initContainers).toBeUndefined();
});

test('the start script decides primary or replicaof from the ordinal; password from the Secret, not the command line', () => {
  const { server, find } = synth();
  expect(server.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/start.sh']);
  expect(server.args).toBeUndefined();
  expect(env(server)).toMatchObject({
    PRIMARY_HOST: 'cache-0.cache-hl.$(POD_NAMESPACE).svc.cluster.local',
    REDIS_PASSWORD: { secretKeyRef: { name: 'cache-credentials', key: 'redis-password' } },
  });
  const start: string = find('ConfigMap', 'cache-scripts').data['start.sh'];
  expect(start).toContain('replication="replicaof $PRIMARY_HOST $PRIMARY_PORT"');
  expect(start).toMatch(/requirepass "\$password"\nmasterauth "\$password"/);
});

test('append-only persistence, no eviction, maxmemory 75% of the memory limit', () => {
  const { conf } = synth();
  expect(conf).toMatch(/^appendonly yes$/m);
  expect(conf).toMatch(/^appendfsync everysec$/m);
  expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
  expect(conf).toMatch(/^maxmemory 384mb$/m); // SMALL preset: 512Mi limit
  expect(synth({ resourcePreset: ResourcePreset.MEDIUM }).conf).toMatch(/^maxmemory 1536mb$/m);
  expect(synth({ settings: { maxMemory: Size.mebibytes(100), evictionPolicy: RedisEvictionPolicy.ALL_KEYS_LRU, parameters: { timeout: '300' } } }).conf)
    .toMatch(/maxmemory-policy allkeys-lru\nmaxmemory 100mb\ntimeout 300/);
});

test('resources: SMALL preset by default, explicit resources respected', () => {
  expect(synth().server.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  const explicit = synth({ resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(200), limit: Size.mebibytes(400) } } });
  expect(explicit.server.resources.limits.memory).toBe('400Mi');
  expect(explicit.conf).toMatch(/^maxmemory 300mb$/m);
});

test('probes: readiness needs PONG, liveness accepts PONG, LOADING and MASTERDOWN', () => {
  const { server, find } = synth();
  const scripts = find('ConfigMap', 'cache-scripts').data;
  expect(server.readinessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/readiness.sh']);
  expect(server.livenessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/liveness.sh']);
  expect(scripts['liveness.sh']).toContain('PONG|LOADING*|MASTERDOWN*) exit 0');
  expect(scripts['readiness.sh']).toContain('if [ "$response" = "PONG" ]');
});

test('Services, PDB and NetworkPolicy on 6379', () => {
  const { find, db } = synth();
  expect(find('Service', 'cache-primary').spec.selector['statefulset.kubernetes.io/pod-name']).toBe('cache-0');
  expect(find('Service', 'cache-read').spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 6379 }]);
  expect(find('PodDisruptionBudget', 'cache').spec.maxUnavailable).toBe(1);
  expect(find('NetworkPolicy', 'cache').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 6379 }]);
  expect(db.primaryHost).toBe('cache-primary.shop.svc.cluster.local');
  expect(db.passwordKey).toBe('redis-password');
});

describe('bad input', () => {
  const build = (props: RedisClusterProps, id = 'cache') => () => new RedisCluster(new Chart(Testing.app(), 'test'), id, props);
  test('impossible replica counts', () => expect(build({ replicas: 0 })).toThrow(/replicas must be an integer >= 1/));
  test('names too long for DNS', () => expect(build({}, 'c'.repeat(53))).toThrow(/at most 52/));
  test('bad quantities', () => expect(build({ storage: Size.kibibytes(1048577) })).toThrow(/storage must be a whole number of MiB/));
  test('unpinned images', () => expect(build({ image: 'redis:latest' })).toThrow(/uses the "latest" tag/));
  test('conflicting props', () => expect(build({ resources: { cpu: {}, memory: {} }, resourcePreset: ResourcePreset.SMALL })).toThrow(/resources and resourcePreset are both set/));
  test('maxmemory at or above the memory limit', () => expect(build({ settings: { maxMemory: Size.mebibytes(512) } })).toThrow(/settings.maxMemory must be below the memory limit \(512Mi\) \(got "512Mi"\)/));
  test('reserved or invalid directives', () => {
    expect(build({ settings: { parameters: { requirepass: 'x' } } })).toThrow(/settings.parameters.requirepass is managed by the construct/);
    expect(build({ settings: { parameters: { 'Bad Name': 'x' } } })).toThrow(/invalid directive name/);
  });
});
