import { ApiObject, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DisruptionBudget, PostgresCluster, PostgresClusterProps, PvcRetention, ResourcePreset, testing } from '../../lib';

function synth(props: PostgresClusterProps = { replicas: 3, storage: Size.gibibytes(50) }, namespace: string | null = 'shop') {
  const chart = new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined });
  const db = new PostgresCluster(chart, 'orders-db', props);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const find = (kind: string, name: string) => testing.Harness.findManifest(manifests, kind, name);
  const sts = find('StatefulSet', 'orders-db');
  const pod = sts.spec.template.spec;
  const server = pod.containers.find((c: { name: string }) => c.name === 'postgres');
  return { chart, db, manifests, find, sts, pod, server };
}

const SELECTOR = { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders-db', 'app.kubernetes.io/component': 'database' };

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

describe('StatefulSet', () => {
  test('replicas, ordered start-up, rolling update partition, stable selector', () => {
    const { sts } = synth({ replicas: 3, partition: 2, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL });
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    expect(sts.spec.selector.matchLabels).toEqual(SELECTOR);
    expect(sts.spec.serviceName).toBe('orders-db-hl');
    expect(synth().sts.spec.podManagementPolicy).toBe('OrderedReady');
  });
  test('volumeClaimTemplates with size, class and access modes; claims retained by default', () => {
    const { sts } = synth({ storage: Size.gibibytes(50), storageClassName: 'fast-ssd' });
    expect(sts.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } } }]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(synth({ pvcRetention: PvcRetention.DELETE }).sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  });
  test('pinned default image, overridable', () => {
    expect(synth().server.image).toBe('postgres:16.4');
    expect(synth({ image: 'postgres:16.6' }).server.image).toBe('postgres:16.6');
  });
  test('PGDATA in a subdirectory of the data volume; writable emptyDirs; memory-backed /dev/shm', () => {
    const { server, pod } = synth();
    expect(server.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(server.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'run', mountPath: '/var/run/postgresql' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'shm', mountPath: '/dev/shm' },
    ]));
    // A quarter of the MEDIUM preset's 2048Mi limit (see 'memory- and volume-derived settings').
    expect(pod.volumes).toContainEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } });
  });
  test('restricted security context for uid/gid 999 with fsGroup 999', () => {
    const { pod, manifests } = synth();
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    expect(testing.Harness.restrictedPodSecurityProblems(testing.Harness.findManifest(manifests, 'StatefulSet', 'orders-db'))).toEqual([]);
  });
  test('probes: startup and liveness tolerate recovery, readiness requires accepting connections (and streaming on replicas)', () => {
    const { server } = synth();
    expect(server.readinessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/readiness.sh']);
    expect(server.env).toContainEqual({ name: 'MAX_REPLICA_LAG_SECONDS', value: '30' });
    expect(synth({ maxReplicaLag: Duration.minutes(2) }).server.env).toContainEqual({ name: 'MAX_REPLICA_LAG_SECONDS', value: '120' });
    expect(server.livenessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/liveness.sh']);
    expect(server.startupProbe.failureThreshold * server.startupProbe.periodSeconds).toBeGreaterThanOrEqual(600);
    expect(server.livenessProbe.failureThreshold * server.livenessProbe.periodSeconds).toBeGreaterThanOrEqual(120);
    expect(server.readinessProbe.periodSeconds).toBeLessThan(server.livenessProbe.periodSeconds);
  });
  test('graceful stop: fast shutdown inside the grace period', () => {
    const { server, pod } = synth({ terminationGracePeriod: Duration.seconds(90) });
    expect(pod.terminationGracePeriodSeconds).toBe(90);
    expect(server.lifecycle.preStop.exec.command).toEqual(['pg_ctl', 'stop', '-D', '/var/lib/postgresql/data/pgdata', '-m', 'fast', '-w', '-t', '80']);
  });
  test('resources: a preset by default, overridable by preset or explicit values', () => {
    expect(synth().server.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '2048Mi' } });
    expect(synth({ resourcePreset: ResourcePreset.LARGE }).server.resources.limits).toEqual({ cpu: '2000m', memory: '4096Mi' });
  });
  test('soft anti-affinity across nodes and zone spread', () => {
    const { pod } = synth();
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
  });
});

describe('replication', () => {
  test('every pod runs the bootstrap init container against pod 0 through the headless Service', () => {
    const { pod } = synth();
    const init = pod.initContainers.find((c: { name: string }) => c.name === 'bootstrap-replica');
    expect(init.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/bootstrap-replica.sh']);
    const env = Object.fromEntries(init.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
    expect(env.PRIMARY_HOST).toBe('orders-db-0.orders-db-hl.$(POD_NAMESPACE).svc.cluster.local');
    expect(env.POD_NAMESPACE).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
    expect(env.REPLICATION_PASSWORD).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'replication-password' } });
    expect(init.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
  });
  test('every $(VAR) reference in env resolves to a variable declared before it', () => {
    const { pod } = synth();
    for (const c of [...pod.containers, ...pod.initContainers]) {
      const declared: string[] = [];
      for (const e of c.env ?? []) {
        for (const [, ref] of String(e.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) expect({ container: c.name, ref, declared: declared.includes(ref) }).toEqual({ container: c.name, ref, declared: true });
        declared.push(e.name);
      }
    }
  });
  test('the primary runs the replication setup from the image init directory', () => {
    const { server, pod } = synth();
    expect(server.volumeMounts).toContainEqual({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'initdb', configMap: { name: 'orders-db-scripts', defaultMode: 0o555, items: [{ key: 'primary-init.sh', path: '10-primary-init.sh' }] } });
  });
  test('headless Service publishes not-ready addresses; primary Service selects pod 0 only; read Service every pod', () => {
    const { find, db } = synth();
    const headless = find('Service', 'orders-db-hl');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: SELECTOR });
    expect(find('Service', 'orders-db-primary').spec.selector).toEqual({ ...SELECTOR, 'statefulset.kubernetes.io/pod-name': 'orders-db-0' });
    expect(find('Service', 'orders-db-read').spec.selector).toEqual(SELECTOR);
    expect(find('Service', 'orders-db-read').spec.ports).toEqual([{ name: 'postgresql', port: 5432, targetPort: 5432 }]);
    expect([db.primaryHost, db.readHost, db.port]).toEqual(['orders-db-primary.shop.svc.cluster.local', 'orders-db-read.shop.svc.cluster.local', 5432]);
  });
  test('without a chart namespace the hosts are short Service names', () => {
    const { db } = synth({}, null);
    expect([db.primaryHost, db.readHost]).toEqual(['orders-db-primary', 'orders-db-read']);
  });
});

describe('credentials, settings, metrics', () => {
  test('passwords only by secretKeyRef: no literal password anywhere', () => {
    const { manifests, server } = synth();
    const secretRefs = server.env.filter((e: { valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef).map((e: { name: string }) => e.name);
    expect(secretRefs).toEqual(['POSTGRES_PASSWORD', 'REPLICATION_PASSWORD', 'PGPASSWORD']);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const e of server.env) if (/PASSWORD/.test(e.name)) expect(e.value).toBeUndefined();
  });
  test('a user-supplied Secret is referenced by name', () => {
    const chart = new Chart(Testing.app(), 'test');
    const secret = kplus.Secret.fromSecretName(chart, 'existing', 'pg-secrets');
    const db = new PostgresCluster(chart, 'orders-db', { credentialsSecret: secret });
    const server = Testing.synth(chart).find((m) => m.kind === 'StatefulSet').spec.template.spec.containers[0];
    expect(server.env.find((e: { name: string }) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef.name).toBe('pg-secrets');
    expect(db.credentialsSecret.name).toBe('pg-secrets');
  });
  test('settings render into the config ConfigMap, mounted where include_dir points', () => {
    const { find, server } = synth({ settings: { maxConnections: 250, sharedBuffers: Size.gibibytes(1), parameters: { log_min_duration_statement: '500ms', search_path: "'$user', public" } } });
    const conf: string = find('ConfigMap', 'orders-db-config').data['10-cdk8s-workloads.conf'];
    expect(conf).toContain('max_connections = 250');
    expect(conf).toContain("shared_buffers = '1024MB'");
    expect(conf).toContain("log_min_duration_statement = '500ms'");
    expect(conf).toContain("search_path = '''$user'', public'");
    expect(server.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/postgresql/conf.d', readOnly: true });
    expect(server.env).toContainEqual({ name: 'SETTINGS_DIR', value: '/etc/postgresql/conf.d' });
  });
  test('metrics sidecar with scrape annotations, and its port opened in the NetworkPolicy', () => {
    const { pod, sts, find } = synth({ metrics: true });
    const metrics = pod.containers.find((c: { name: string }) => c.name === 'metrics');
    expect(metrics.ports).toEqual([{ name: 'metrics', containerPort: 9187 }]);
    expect(metrics.env).toContainEqual({ name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'postgres-password' } } });
    expect(sts.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics' });
    expect(find('NetworkPolicy', 'orders-db').spec.ingress).toContainEqual({ ports: [{ protocol: 'TCP', port: 9187 }] });
    expect(synth().pod.containers.map((c: { name: string }) => c.name)).toEqual(['postgres']);
  });
});

describe('memory- and volume-derived settings', () => {
  const conf = (props: PostgresClusterProps) => synth(props).find('ConfigMap', 'orders-db-config').data['10-cdk8s-workloads.conf'] as string;
  const shm = (props: PostgresClusterProps) => synth(props).pod.volumes.find((v: { name: string }) => v.name === 'shm').emptyDir;
  test('MEDIUM (2048Mi limit, the default): shared_buffers 25%, effective_cache_size 75%, /dev/shm 25%', () => {
    const text = conf({});
    expect(text).toContain("shared_buffers = '512MB'");
    expect(text).toContain("effective_cache_size = '1536MB'");
    expect(shm({})).toEqual({ medium: 'Memory', sizeLimit: '512Mi' });
  });
  test('LARGE (4096Mi limit)', () => {
    const text = conf({ resourcePreset: ResourcePreset.LARGE });
    expect(text).toContain("shared_buffers = '1024MB'");
    expect(text).toContain("effective_cache_size = '3072MB'");
    expect(shm({ resourcePreset: ResourcePreset.LARGE })).toEqual({ medium: 'Memory', sizeLimit: '1024Mi' });
  });
  test('explicit values below the limit are kept; /dev/shm stays sized from the limit', () => {
    const text = conf({ resourcePreset: ResourcePreset.LARGE, settings: { sharedBuffers: Size.mebibytes(768), effectiveCacheSize: Size.gibibytes(2) } });
    expect(text).toContain("shared_buffers = '768MB'");
    expect(text).toContain("effective_cache_size = '2048MB'");
  });
  test('without a memory limit: shared_buffers 256MB, PostgreSQL\'s effective_cache_size, /dev/shm 64Mi', () => {
    // Schema-valid, but the production checks (rightly) reject a container without limits.
    const chart = new Chart(Testing.app(), 'test');
    new PostgresCluster(chart, 'orders-db', { resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1) } } });
    const manifests = testing.Harness.synthValid(chart, { restricted: true });
    const text: string = testing.Harness.findManifest(manifests, 'ConfigMap', 'orders-db-config').data['10-cdk8s-workloads.conf'];
    expect(text).toContain("shared_buffers = '256MB'");
    expect(text).not.toContain('effective_cache_size');
    const volumes = testing.Harness.findManifest(manifests, 'StatefulSet', 'orders-db').spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
  });
  test('replication: max_slot_wal_keep_size a quarter of the volume by default, hot_standby_feedback on', () => {
    expect(conf({})).toContain("max_slot_wal_keep_size = '2560MB'");
    expect(conf({ storage: Size.gibibytes(50) })).toContain("max_slot_wal_keep_size = '12800MB'");
    expect(conf({ settings: { maxSlotWalKeepSize: Size.gibibytes(4) } })).toContain("max_slot_wal_keep_size = '4096MB'");
    expect(conf({})).toMatch(/^hot_standby_feedback = on$/m);
  });
});

describe('budget, network policy, labels', () => {
  test('PodDisruptionBudget maxUnavailable 1 by default, overridable', () => {
    const { find } = synth();
    expect(find('PodDisruptionBudget', 'orders-db').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
    expect(synth({ replicas: 5, disruptionBudget: DisruptionBudget.minAvailable(3) }).find('PodDisruptionBudget', 'orders-db').spec.minAvailable).toBe(3);
  });
  test('NetworkPolicy admits labelled clients and the cluster itself on 5432; egress to the cluster and DNS', () => {
    const { find } = synth({ clientLabels: { 'orders-api': 'true' } });
    const spec = find('NetworkPolicy', 'orders-db').spec;
    expect(spec.podSelector).toEqual({ matchLabels: SELECTOR });
    expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'orders-api': 'true' } } }, { podSelector: { matchLabels: SELECTOR } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: SELECTOR } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(spec.egress).toContainEqual({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] });
    expect(synth().db.clientLabels).toEqual({ 'cdk8s-workloads.io/client-of': 'orders-db' });
  });
  test('recommended labels on every object', () => {
    for (const m of synth().manifests) {
      expect(m.metadata.labels).toMatchObject({ ...SELECTOR, 'app.kubernetes.io/managed-by': 'cdk8s-workloads', 'app.kubernetes.io/part-of': 'orders-db' });
    }
  });
  test('escape hatch: any field can be patched through the exposed objects', () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new PostgresCluster(chart, 'orders-db');
    ApiObject.of(db.statefulSet).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
    db.primaryService.metadata.addAnnotation('example.com/owner', 'team-orders');
    const manifests = testing.Harness.synthValid(chart);
    expect(testing.Harness.findManifest(manifests, 'StatefulSet', 'orders-db').spec.revisionHistoryLimit).toBe(5);
    expect(testing.Harness.findManifest(manifests, 'Service', 'orders-db-primary').metadata.annotations).toEqual({ 'example.com/owner': 'team-orders' });
  });
});

describe('bad input', () => {
  const build = (props: PostgresClusterProps, id = 'orders-db') => () => new PostgresCluster(new Chart(Testing.app(), 'test'), id, props);
  test('replicas < 1', () => {
    expect(build({ replicas: 0 })).toThrow(/^test\/orders-db: replicas must be an integer >= 1 \(got 0\)\. Use 1 for a single primary/);
  });
  test('a name too long for DNS', () => {
    expect(build({}, 'a'.repeat(53))).toThrow(/test\/a{53}: name \(the construct id\) is 53 characters long; at most 52 are allowed/);
  });
  test('a name that is not a DNS label', () => {
    expect(build({}, 'Orders_DB')).toThrow(/name \(the construct id\) must be lowercase alphanumeric/);
  });
  test('a name starting with a digit makes an invalid Service name', () => {
    expect(build({}, '1orders')).toThrow(/makes Service name "1orders-primary" invalid: it must start with a letter/);
  });
  test('storage below the minimum', () => {
    expect(build({ storage: Size.mebibytes(512) })).toThrow(/storage is below the minimum of 1Gi \(got "512Mi"\)/);
  });
  test('storage not a whole number of MiB', () => {
    expect(build({ storage: Size.kibibytes(1048577) })).toThrow(/storage must be a whole number of MiB/);
  });
  test('requests above limits', () => {
    expect(build({ resources: { cpu: { request: kplus.Cpu.millis(2000), limit: kplus.Cpu.millis(1000) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } } }))
      .toThrow(/test\/orders-db: resources.cpu has a request above its limit \(got "2000m > 1000m"\)/);
  });
  test('an image without a tag, or latest', () => {
    expect(build({ image: 'postgres' })).toThrow(/test\/orders-db: image has no tag \(got "postgres"\)/);
    expect(build({ image: 'postgres:latest' })).toThrow(/uses the "latest" tag/);
  });
  test('a partition larger than replicas', () => {
    expect(build({ replicas: 3, partition: 4 })).toThrow(/partition must be an integer from 0 to replicas \(3\) \(got 4\)/);
  });
  test('a PDB that would block every drain', () => {
    expect(build({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(3) })).toThrow(/disruptionBudget would block every node drain with 3 replica\(s\)/);
  });
  test('conflicting props are listed together', () => {
    expect(build({ resourcePreset: ResourcePreset.SMALL, resources: { cpu: {}, memory: {} } })).toThrow(/1 configuration problem\(s\):\n {2}- resources and resourcePreset are both set/);
  });
  test('a grace period too short for a clean shutdown', () => {
    expect(build({ terminationGracePeriod: Duration.seconds(5) })).toThrow(/terminationGracePeriod must be at least 15 seconds/);
  });
  test('bad settings', () => {
    expect(build({ settings: { maxConnections: 0 } })).toThrow(/settings.maxConnections must be an integer >= 1/);
    expect(build({ settings: { parameters: { 'bad name': '1' } } })).toThrow(/settings.parameters has an invalid parameter name \(got "bad name"\)/);
    expect(build({ settings: { parameters: { wal_level: 'minimal' } } })).toThrow(/settings.parameters.wal_level is managed by the construct/);
    expect(build({ settings: { parameters: { primary_slot_name: 'x' } } })).toThrow(/settings.parameters.primary_slot_name is managed by the construct/);
  });
  test('shared_buffers at or above the memory limit', () => {
    expect(build({ settings: { sharedBuffers: Size.gibibytes(2) } }))
      .toThrow(/^test\/orders-db: settings.sharedBuffers must be below the memory limit \(2048Mi\) \(got "2048Mi"\)\. Use about 25% of the limit \(512Mi\)/);
  });
  test('effective_cache_size at or above the memory limit', () => {
    expect(build({ resourcePreset: ResourcePreset.SMALL, settings: { effectiveCacheSize: Size.gibibytes(1) } }))
      .toThrow(/^test\/orders-db: settings.effectiveCacheSize must be below the memory limit \(512Mi\) \(got "1024Mi"\)\. Use about 75% of the limit \(384Mi\)/);
  });
  test('max_slot_wal_keep_size at or above the volume size', () => {
    expect(build({ storage: Size.gibibytes(10), settings: { maxSlotWalKeepSize: Size.gibibytes(10) } }))
      .toThrow(/^test\/orders-db: settings.maxSlotWalKeepSize must be below the volume size \(storage, 10240Mi\) \(got "10240Mi"\)\. Use at most a fraction of it, e.g. 2560Mi/);
  });
  test('a typed setting passed through parameters', () => {
    expect(build({ settings: { parameters: { shared_buffers: '8GB' } } })).toThrow(/settings.parameters.shared_buffers has a typed setting \(got "8GB"\)\. Use settings.sharedBuffers/);
  });
  test('a replica lag limit that is not a whole number of seconds >= 1', () => {
    expect(build({ maxReplicaLag: Duration.millis(500) })).toThrow(/^test\/orders-db: maxReplicaLag must be a whole number of seconds >= 1 \(got "500ms"\)/);
  });
  test('client labels Kubernetes would reject', () => {
    expect(build({ clientLabels: { 'orders api': 'yes' } })).toThrow(/clientLabels key must have a name part/);
  });
});

describe('default client labels', () => {
  test('every cluster uses one label key with its name as the value (a key per cluster made synth super-linear, BENCHMARK.md)', () => {
    const chart = Testing.chart();
    const a = new PostgresCluster(chart, 'orders-db', { replicas: 1 });
    const b = new PostgresCluster(chart, 'users-db', { replicas: 1 });
    expect(a.clientLabels).toEqual({ 'cdk8s-workloads.io/client-of': 'orders-db' });
    expect(Object.keys(b.clientLabels)).toEqual(Object.keys(a.clientLabels));
    const policy = testing.Harness.findManifest(testing.Harness.synthValid(chart, { restricted: true }), 'NetworkPolicy', 'users-db');
    expect(policy.spec.ingress[0].from[0]).toEqual({ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'users-db' } } });
  });
});
