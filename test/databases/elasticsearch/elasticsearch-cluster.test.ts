import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Cron, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BackupCronJob, BackupSchedule, BackupTarget, ClusterHealthStatus, ElasticsearchCluster, ElasticsearchClusterProps, ElasticsearchFlavor, MmapMode, testing,
} from '../../../lib';
import { haveBinary } from '../../support/binaries';
import { shellcheck } from '../../support/run';

type Env = { name: string; value?: string; valueFrom?: unknown }[];
function synth(props: ElasticsearchClusterProps = {}, id = 'logs') {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'search' });
  const db = new ElasticsearchCluster(chart, id, props);
  const manifests = testing.Harness.synthValid(chart, { restricted: true, production: true });
  const find = (kind: string, name: string) => testing.Harness.findManifest(manifests, kind, name);
  const sts = find('StatefulSet', id);
  const pod = sts.spec.template.spec;
  const server = pod.containers[0];
  const env = Object.fromEntries((server.env as Env).map((e) => [e.name, e.value ?? e.valueFrom]));
  const settingsFile = db.flavor.settingsFile;
  return { db, chart, manifests, find, sts, pod, server, env, settings: find('ConfigMap', `${id}-config`).data[settingsFile] as string };
}
const openSearch = (props: ElasticsearchClusterProps = {}) => synth({ flavor: ElasticsearchFlavor.openSearch(), ...props });
const construct = (props: ElasticsearchClusterProps) => () => new ElasticsearchCluster(new Chart(Testing.app(), 'test'), 'logs', props);

test('snapshot of the defaults (Elasticsearch and OpenSearch)', () => {
  expect(synth().manifests).toMatchSnapshot();
  expect(openSearch().manifests).toMatchSnapshot();
});

test('peers: Parallel, 3 nodes of 30Gi, uid/fsGroup 1000, the pinned official image started through its entrypoint', () => {
  const { sts, pod, server } = synth();
  expect(sts.spec.podManagementPolicy).toBe('Parallel');
  expect(sts.spec.replicas).toBe(3);
  expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('30Gi');
  expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000, runAsNonRoot: true });
  expect(server.image).toBe('docker.elastic.co/elasticsearch/elasticsearch:8.15.3');
  expect(server.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/start.sh', '/usr/local/bin/docker-entrypoint.sh', 'eswrapper']);
  expect(server.volumeMounts).toContainEqual({ name: 'data', mountPath: '/usr/share/elasticsearch/data' });
  expect(synth({ storage: Size.gibibytes(100) }).sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
});

test('headless Service on 9200 and 9300 with not-ready addresses; one client Service <name> on 9200; no primary or read Service', () => {
  const { db, find, manifests } = synth();
  const headless = find('Service', 'logs-hl');
  expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  expect(headless.spec.ports).toEqual([{ name: 'http', port: 9200, targetPort: 9200 }, { name: 'transport', port: 9300, targetPort: 9300 }]);
  const client = find('Service', 'logs');
  expect(client.spec.ports).toEqual([{ name: 'http', port: 9200, targetPort: 9200 }]);
  expect(client.spec.selector).toEqual(find('StatefulSet', 'logs').spec.selector.matchLabels);
  expect(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name).sort()).toEqual(['logs', 'logs-hl']);
  expect(db.clientService).toBe(db.primaryService);
  expect(db.readService).toBe(db.primaryService);
  expect(db.clientHost).toBe('logs.search.svc.cluster.local');
});

test('discovery through the headless Service; no cluster.initial_master_nodes in the settings: start.sh bootstraps the first 3 ordinals', () => {
  const { settings, env } = synth();
  expect(settings).toMatch(/^discovery\.seed_hosts: \["logs-hl"\]$/m);
  expect(settings).toMatch(/^node\.name: "\$\{POD_NAME\}"$/m);
  expect(settings).not.toContain('initial_master_nodes');
  expect(env.BOOTSTRAP_NODES).toBe('3');
  expect(env.HEADLESS_HOST).toBe('logs-hl.$(POD_NAMESPACE).svc.cluster.local');
  expect(synth({ replicas: 5 }).env.BOOTSTRAP_NODES).toBe('3');
  expect(synth({ replicas: 1 }).env.BOOTSTRAP_NODES).toBe('1');
});

test('readiness waits for green on a new pod (yellow for a single node); probes verify the pod certificate on 127.0.0.1', () => {
  const { server, env } = synth();
  expect(server.readinessProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/readiness.sh']);
  expect(server.startupProbe.exec.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/liveness.sh']);
  expect(env.ES_READY_STATUS).toBe('green');
  expect(synth({ replicas: 1 }).env.ES_READY_STATUS).toBe('yellow');
  expect(synth({ readinessStatus: ClusterHealthStatus.YELLOW }).env.ES_READY_STATUS).toBe('yellow');
  expect(env.ES_URL).toBe('https://$(POD_NAME).logs-hl.$(POD_NAMESPACE).svc.cluster.local:9200');
  expect(env.ES_RESOLVE).toBe('$(POD_NAME).logs-hl.$(POD_NAMESPACE).svc.cluster.local:9200:127.0.0.1');
  expect(env.ES_CA_FILE).toBe('/usr/share/elasticsearch/config/certs/ca.crt');
});

test('security and TLS on: certificates and the elastic password only by reference (mounted files)', () => {
  const { settings, env, pod, server, manifests } = synth();
  expect(settings).toMatch(/^xpack\.security\.enabled: true$/m);
  expect(settings).toMatch(/^xpack\.security\.transport\.ssl\.enabled: true$/m);
  expect(settings).toMatch(/^xpack\.security\.http\.ssl\.enabled: true$/m);
  expect(settings).toMatch(/^xpack\.security\.http\.ssl\.certificate_authorities: \["certs\/ca\.crt"\]$/m);
  expect(env.ELASTIC_PASSWORD_FILE).toBe('/etc/cdk8s-workloads/credentials/password');
  expect(env.ELASTIC_PASSWORD).toBeUndefined();
  expect(pod.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'logs-credentials', defaultMode: 0o440, items: [{ key: 'elastic-password', path: 'password' }] } });
  expect(pod.volumes.find((v: { name: string }) => v.name === 'certs').secret.secretName).toBe('logs-certs');
  expect(server.volumeMounts).toContainEqual({ name: 'certs', mountPath: '/usr/share/elasticsearch/config/certs', readOnly: true });
  expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  const own = synth({ certificatesSecret: kplus.Secret.fromSecretName(new Chart(Testing.app(), 'x'), 's', 'es-tls') });
  expect(own.pod.volumes.find((v: { name: string }) => v.name === 'certs').secret.secretName).toBe('es-tls');
});

test('writable paths under a read-only root: config (an emptyDir the init container fills), logs, tmp, data', () => {
  const { pod, server } = synth();
  const init = pod.initContainers[0];
  expect(init.name).toBe('prepare-config');
  expect(init.volumeMounts).toContainEqual({ name: 'config-local', mountPath: '/mnt/config' });
  expect(server.volumeMounts).toContainEqual({ name: 'config-local', mountPath: '/usr/share/elasticsearch/config' });
  for (const mount of [{ name: 'logs', mountPath: '/usr/share/elasticsearch/logs' }, { name: 'tmp', mountPath: '/tmp' }]) expect(server.volumeMounts).toContainEqual(mount);
  expect(server.securityContext.readOnlyRootFilesystem).toBe(true);
  expect(pod.volumes.filter((v: { emptyDir?: unknown }) => v.emptyDir).map((v: { name: string }) => v.name).sort()).toEqual(['config-local', 'logs', 'tmp']);
});

test('heap: Elasticsearch sizes it from the limit by itself; an explicit heap sets Xms = Xmx', () => {
  expect(synth().env.ES_JAVA_OPTS).toBeUndefined();
  expect(synth().server.resources.limits.memory).toBe('2048Mi');
  expect(synth({ heap: Size.mebibytes(1024) }).env.ES_JAVA_OPTS).toBe('-Xms1024m -Xmx1024m');
});

test('vm.max_map_count: mmap off by default; nodeTuning keeps mmap and pins the pods to the tuned nodes', () => {
  expect(synth().settings).toMatch(/^node\.store\.allow_mmap: false$/m);
  const tuned = synth({ mmap: MmapMode.nodeTuning({ 'example.com/max-map-count': '262144' }) });
  expect(tuned.settings).toMatch(/^node\.store\.allow_mmap: true$/m);
  expect(tuned.pod.nodeSelector).toEqual({ 'example.com/max-map-count': '262144' });
  expect(synth().pod.nodeSelector).toBeUndefined();
});

test('OpenSearch: its image, plugins.security keys, the initial admin password from the Secret, heap half the limit', () => {
  const { server, env, settings, pod, db } = openSearch({ nodesDn: ['CN=logs.search'] });
  expect(server.image).toBe('opensearchproject/opensearch:2.19.1');
  expect(server.command).toEqual(['/bin/sh', '/opt/cdk8s-workloads/start.sh', '/usr/share/opensearch/opensearch-docker-entrypoint.sh']);
  expect(env.OPENSEARCH_INITIAL_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'logs-credentials', key: 'admin-password' } });
  expect(env.DISABLE_INSTALL_DEMO_CONFIG).toBe('true');
  expect(env.OPENSEARCH_JAVA_OPTS).toBe('-Xms1024m -Xmx1024m');
  expect(env.ES_USER).toBe('admin');
  expect(settings).toMatch(/^plugins\.security\.ssl\.http\.enabled: true$/m);
  expect(settings).toMatch(/^plugins\.security\.nodes_dn: \["CN=logs\.search"\]$/m);
  expect(settings).not.toContain('xpack');
  expect(openSearch().settings).toMatch(/^plugins\.security\.nodes_dn: \["CN=logs"\]$/m);
  expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  expect(server.volumeMounts).toContainEqual({ name: 'config-local', mountPath: '/usr/share/opensearch/config' });
  expect(db.passwordKey).toBe('admin-password');
  expect(ApiObject.of(db).metadata.getLabel('app.kubernetes.io/name')).toBe('opensearch');
});

test('NetworkPolicy: clients reach 9200 only; the nodes reach each other on 9200 and 9300', () => {
  const policy = synth().find('NetworkPolicy', 'logs');
  expect(policy.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'logs' } } }], ports: [{ port: 9200, protocol: 'TCP' }] });
  expect(policy.spec.ingress[1].ports).toEqual([{ port: 9200, protocol: 'TCP' }, { port: 9300, protocol: 'TCP' }]);
  expect(policy.spec.egress[0].ports).toEqual([{ port: 9200, protocol: 'TCP' }, { port: 9300, protocol: 'TCP' }]);
});

test('PodDisruptionBudget maxUnavailable 1; RollingUpdate (each pod waits for the readiness gate)', () => {
  const { find, sts } = synth();
  expect(find('PodDisruptionBudget', 'logs').spec.maxUnavailable).toBe(1);
  expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
});

test('escape hatch: ApiObject.of(cluster) is the StatefulSet', () => {
  const chart = new Chart(Testing.app(), 'test');
  const db = new ElasticsearchCluster(chart, 'logs');
  ApiObject.of(db).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
  expect(testing.Harness.findManifest(testing.Harness.synthValid(chart, { restricted: true }), 'StatefulSet', 'logs').spec.minReadySeconds).toBe(30);
});

// The probe's two requests against a curl stand-in: GET / still says `_na_` (the cluster formed
// after it), the health request answers 200. The real servers are in opensearch-integration.test.ts.
test('readiness marks the volume as formed when the cluster formed between its two requests (a green answer needs an elected master)', () => {
  const { find } = synth();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'es-readiness-'));
  for (const [name, body] of Object.entries(find('ConfigMap', 'logs-scripts').data as Record<string, string>)) fs.writeFileSync(path.join(dir, name), body);
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'data'));
  const fakeCurl = [
    '#!/bin/sh',
    'for a in "$@"; do url="$a"; done',
    'case "$url" in',
    '  */_cluster/health*) printf \'\\n200\' ;;',
    '  *) printf \'{"cluster_uuid" : "_na_"}\\n200\' ;;',
    'esac',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'bin', 'curl'), fakeCurl, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'password'), 'p');
  const env = {
    PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, SCRIPTS_DIR: dir, ES_DATA_DIR: path.join(dir, 'data'), ES_READY_MARKER: path.join(dir, 'ready'),
    ES_USER: 'elastic', ES_PASSWORD_FILE: path.join(dir, 'password'), ES_CA_FILE: path.join(dir, 'password'), ES_URL: 'https://logs-0:9200',
  };
  const run = spawnSync('/bin/sh', [path.join(dir, 'readiness.sh')], { env, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'ready'))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'data', '.cdk8s-workloads-cluster-formed'))).toBe(true);
});

test('not IBackupable: BackupCronJob refuses it with an error', () => {
  const chart = new Chart(Testing.app(), 'test');
  const db = new ElasticsearchCluster(chart, 'logs');
  expect(() => new BackupCronJob(chart, 'backup', { database: db as never, schedule: BackupSchedule.cron(Cron.daily()), target: BackupTarget.persistentVolume({ size: Size.gibibytes(5) }) }))
    .toThrow(/database is not a database a backup job can dump \(it has no backupSource\(\)\) \(got "test\/logs"\)/);
});

describe('errors', () => {
  test('OrderedReady', () => expect(construct({ podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY })).toThrow(/test\/logs: podManagementPolicy cannot be OrderedReady.*\(got "OrderedReady"\)/));
  test('heap above half the limit', () => expect(construct({ heap: Size.mebibytes(1536) })).toThrow(/heap must be at most half the memory limit \(2048Mi\).*\(got "1536Mi"\).*Size\.mebibytes\(1024\)/));
  test('heap of 26Gi or more', () => expect(construct({ heap: Size.gibibytes(26) })).toThrow(/heap must stay below 26Gi.*\(got "26624Mi"\)/));
  test('heap not whole MiB', () => expect(construct({ heap: Size.kibibytes(300_000) })).toThrow(/heap must be a whole number of MiB, at least 256Mi \(got "300000Ki"\)/));
  test('heap not a Size', () => expect(construct({ heap: '1g' as never })).toThrow(/heap must be a cdk8s Size/));
  test('no memory limit', () => expect(construct({ resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(2) } } })).toThrow(/resources\.memory\.limit must be set: the heap is sized from it/));
  test('nodesDn on Elasticsearch', () => expect(construct({ nodesDn: ['CN=x'] })).toThrow(/nodesDn applies to OpenSearch only/));
  test('empty nodesDn', () => expect(construct({ flavor: ElasticsearchFlavor.openSearch(), nodesDn: [] })).toThrow(/nodesDn must list at least one distinguished name \(got \[\]\)/));
  test('initial_master_nodes in settings', () => expect(construct({ settings: { 'cluster.initial_master_nodes': 'a,b' } })).toThrow(/settings\["cluster\.initial_master_nodes"\] is managed by start\.sh/));
  test('a managed setting', () => expect(construct({ settings: { 'xpack.security.enabled': 'false' } })).toThrow(/settings\["xpack\.security\.enabled"\] is set by ElasticsearchCluster/));
  test('a non-string setting', () => expect(construct({ settings: { 'indices.memory.index_buffer_size': 20 as never } })).toThrow(/settings\["indices\.memory\.index_buffer_size"\] must be a string \(got 20\)/));
  test('settings not an object', () => expect(construct({ settings: ['x'] as never })).toThrow(/settings must be an object of setting names/));
  test('flavor', () => expect(construct({ flavor: 'opensearch' as never })).toThrow(/flavor must be an ElasticsearchFlavor \(got "opensearch"\)/));
  test('mmap', () => expect(construct({ mmap: false as never })).toThrow(/mmap must be a MmapMode \(got false\)/));
  test('readinessStatus', () => expect(construct({ readinessStatus: 'red' as never })).toThrow(/readinessStatus/));
  test('an unknown prop', () => expect(construct({ replica: 3 } as never)).toThrow(/replica is not a prop of ElasticsearchClusterProps.*Did you mean `replicas`/));
});

const scriptsDir = path.join(__dirname, '../../../lib/databases/elasticsearch');
// Skipped loudly without shellcheck on a developer machine; in CI a missing shellcheck fails.
(haveBinary('/usr/bin/shellcheck', 'shellcheck') ? test : test.skip)('every script passes shellcheck', () => {
  const scripts = fs.readdirSync(scriptsDir).filter((f) => f.endsWith('.sh'));
  expect(scripts.sort()).toEqual(['es-common.sh', 'liveness.sh', 'prepare-config.sh', 'readiness.sh', 'start.sh']);
  for (const script of scripts) expect(`${script}: ${shellcheck(fs.readFileSync(path.join(scriptsDir, script), 'utf8'))}`).toBe(`${script}: `);
});
