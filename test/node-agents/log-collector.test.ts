/** LogCollectorDaemon: Fluent Bit (default) and Fluentd shipping to Elasticsearch. */
import * as kplus from 'cdk8s-plus-27';
import { Chart, Size, Testing } from 'cdk8s';
import { synthValid, findManifest, Manifest, validateManifests } from '../../lib/testing/validate';
import {
  ContainerLogFormat, ElasticsearchIndex, ElasticsearchOutput, ElasticsearchScheme, LogAgent, LogCollectorDaemon, LogCollectorDaemonProps,
} from '../../lib';

const ES_HOST = 'elasticsearch.logging.svc.cluster.local';

function build(props: Partial<LogCollectorDaemonProps> = {}, elasticsearch: Partial<ElasticsearchOutput> = {}): { chart: Chart; agent: LogCollectorDaemon } {
  const chart = new Chart(Testing.app(), 'test');
  const agent = new LogCollectorDaemon(chart, 'logs', { elasticsearch: { host: ES_HOST, ...elasticsearch }, ...props });
  return { chart, agent };
}

function synth(props: Partial<LogCollectorDaemonProps> = {}, elasticsearch: Partial<ElasticsearchOutput> = {}) {
  const { chart, agent } = build(props, elasticsearch);
  const manifests = synthValid(chart, { production: true, restricted: true, restrictedExemptions: [`DaemonSet/${agent.name}`] });
  const ds = findManifest(manifests, 'DaemonSet', agent.name);
  const pod: Manifest = ds.spec.template.spec;
  return { agent, manifests, ds, pod, container: pod.containers[0] as Manifest };
}

function withCredentials(): Partial<ElasticsearchOutput> {
  return { credentials: { secret: kplus.Secret.fromSecretName(new Chart(Testing.app(), 'refs'), 'es', 'es-credentials') } };
}

function envOf(container: Manifest): Record<string, Manifest> {
  return Object.fromEntries((container.env ?? []).map((e: Manifest) => [e.name, e.value !== undefined ? e.value : e.valueFrom]));
}

test('snapshot of the defaults', () => {
  const { chart } = build({}, withCredentials());
  expect(synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/logs'] })).toMatchSnapshot();
});

describe('Fluent Bit (default)', () => {
  test('pinned image, named container, IfNotPresent, config from the ConfigMap', () => {
    const { container, agent } = synth();
    expect(container.image).toBe('cr.fluentbit.io/fluent/fluent-bit:3.2.2');
    expect(container.name).toBe('fluent-bit');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.args).toEqual(['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf']);
    expect(agent.agent.kind).toBe('fluent-bit');
  });

  test('the ConfigMap holds the generated configuration and is mounted read-only; a checksum rolls the pods', () => {
    const { manifests, pod, container, ds, agent } = synth();
    const configMap = findManifest(manifests, 'ConfigMap', 'logs-config');
    expect(configMap.metadata.namespace).toBe('logging');
    expect(Object.keys(configMap.data)).toEqual(['fluent-bit.conf']);
    expect(configMap.data['fluent-bit.conf']).toMatch(/^\[SERVICE\]\n/);
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'logs-config' } });
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/fluent-bit/etc/conf', readOnly: true });
    expect(ds.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(agent.configMap).toBeDefined();
    const other = synth({}, { port: 9201 });
    expect(other.ds.spec.template.metadata.annotations['checksum/config']).not.toBe(ds.spec.template.metadata.annotations['checksum/config']);
  });

  test('host paths: /var/log and /var/lib/docker/containers read-only, the offset directory writable', () => {
    const { pod, container } = synth();
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'dockercontainers', hostPath: { path: '/var/lib/docker/containers', type: 'DirectoryOrCreate' } },
      { name: 'state', hostPath: { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' } },
    ]));
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'varlog', mountPath: '/var/log', readOnly: true },
      { name: 'dockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
      { name: 'state', mountPath: '/var/lib/fluent-bit', readOnly: false },
    ]));
  });

  test('resources 100m / 200Mi requested by default, limits 500m / 512Mi', () => {
    expect(synth().container.resources).toEqual({ requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('probes on the HTTP server: readiness /api/v1/health, liveness and startup on /', () => {
    const { container } = synth();
    expect(container.ports).toEqual([{ containerPort: 2020, name: 'http' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 2020, scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 2020, scheme: 'HTTP' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/', port: 2020, scheme: 'HTTP' });
  });

  test('Prometheus scrape annotations on the pod template', () => {
    expect(synth().ds.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '2020', 'prometheus.io/path': '/api/v1/metrics/prometheus',
    });
  });

  test('security: uid 0, but no capabilities, no escalation, read-only root, seccomp RuntimeDefault', () => {
    const { pod, container } = synth();
    expect(container.securityContext).toEqual({
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('RBAC: a ClusterRole reading pods and namespaces, bound to the agent ServiceAccount', () => {
    const { manifests, agent } = synth();
    const role = findManifest(manifests, 'ClusterRole', 'logging-logs');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], resourceNames: [], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces'], resourceNames: [], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = findManifest(manifests, 'ClusterRoleBinding', 'logging-logs');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'logging-logs' });
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'logs', namespace: 'logging' }]);
    expect(agent.clusterRole).toBeDefined();
    expect(agent.clusterRoleBinding).toBeDefined();
  });

  test('credentials come from the Secret by reference, never literally', () => {
    const { container, manifests } = synth({}, withCredentials());
    expect(envOf(container)).toEqual({
      ELASTICSEARCH_USERNAME: { secretKeyRef: { name: 'es-credentials', key: 'username' } },
      ELASTICSEARCH_PASSWORD: { secretKeyRef: { name: 'es-credentials', key: 'password' } },
    });
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('custom secret keys', () => {
    const secret = kplus.Secret.fromSecretName(new Chart(Testing.app(), 'refs'), 'es', 'elastic-user');
    const { container } = synth({}, { credentials: { secret, usernameKey: 'user', passwordKey: 'pass' } });
    expect(envOf(container).ELASTICSEARCH_PASSWORD).toEqual({ secretKeyRef: { name: 'elastic-user', key: 'pass' } });
  });

  test('every object carries the recommended labels', () => {
    const { manifests } = synth({ createNamespace: true });
    for (const m of manifests) expect({ kind: m.kind, labels: m.metadata.labels }).toMatchObject({ kind: m.kind, labels: { 'app.kubernetes.io/name': 'fluent-bit', 'app.kubernetes.io/managed-by': 'cdk8s-workloads' } });
  });

  test('createNamespace emits "logging" labelled privileged', () => {
    const { manifests } = synth({ createNamespace: true });
    expect(findManifest(manifests, 'Namespace', 'logging').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('fluentBitConfig exposes the generated sections', () => {
    const { agent } = synth({ agent: LogAgent.fluentBit({ memBufLimit: Size.mebibytes(20), flushSeconds: 5 }), logFormat: ContainerLogFormat.DOCKER }, { scheme: ElasticsearchScheme.HTTP, index: ElasticsearchIndex.named('k8s') });
    const entries = (name: string) => new Map(agent.fluentBitConfig!.find((s) => s.name === name)!.entries.map(({ key, value }) => [key, value]));
    expect(entries('SERVICE').get('Flush')).toBe('5');
    expect(entries('INPUT').get('Mem_Buf_Limit')).toBe('20M');
    expect(entries('INPUT').get('multiline.parser')).toBe('docker');
    expect(entries('OUTPUT').get('tls')).toBe('Off');
    expect(entries('OUTPUT').get('Index')).toBe('k8s');
    expect(entries('OUTPUT').has('Logstash_Format')).toBe(false);
  });
});

describe('Fluentd', () => {
  test('pinned fluentd-kubernetes-daemonset image configured by environment', () => {
    const { container, ds } = synth({ agent: LogAgent.fluentd() }, { scheme: ElasticsearchScheme.HTTPS, port: 9243, tlsVerify: false, ...withCredentials() });
    expect(container.image).toMatch(/^fluent\/fluentd-kubernetes-daemonset:v[0-9.]+-debian-elasticsearch8-[0-9.]+$/);
    expect(container.name).toBe('fluentd');
    expect(envOf(container)).toMatchObject({
      FLUENT_ELASTICSEARCH_HOST: ES_HOST,
      FLUENT_ELASTICSEARCH_PORT: '9243',
      FLUENT_ELASTICSEARCH_SCHEME: 'https',
      FLUENT_ELASTICSEARCH_SSL_VERIFY: 'false',
      FLUENT_ELASTICSEARCH_LOGSTASH_FORMAT: 'true',
      FLUENT_ELASTICSEARCH_LOGSTASH_PREFIX: 'logstash',
      FLUENT_ELASTICSEARCH_USER: { secretKeyRef: { name: 'es-credentials', key: 'username' } },
      FLUENT_ELASTICSEARCH_PASSWORD: { secretKeyRef: { name: 'es-credentials', key: 'password' } },
      FLUENT_CONTAINER_TAIL_PARSER_TYPE: 'cri',
      K8S_NODE_NAME: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
    expect(ds.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '24231', 'prometheus.io/path': '/metrics' });
  });

  test('a named index switches Logstash format off', () => {
    const { container } = synth({ agent: LogAgent.fluentd() }, { index: ElasticsearchIndex.named('k8s'), scheme: ElasticsearchScheme.HTTP });
    expect(envOf(container)).toMatchObject({ FLUENT_ELASTICSEARCH_LOGSTASH_FORMAT: 'false', FLUENT_ELASTICSEARCH_INDEX_NAME: 'k8s', FLUENT_ELASTICSEARCH_SCHEME: 'http' });
    expect(envOf(container).FLUENT_ELASTICSEARCH_USER).toBeUndefined();
  });

  test('docker log format uses the json parser', () => {
    const { container } = synth({ agent: LogAgent.fluentd(), logFormat: ContainerLogFormat.DOCKER });
    expect(envOf(container).FLUENT_CONTAINER_TAIL_PARSER_TYPE).toBe('json');
  });

  test('no ConfigMap; /var/log writable for position files, a root-owned /tmp', () => {
    const { manifests, container, agent } = synth({ agent: LogAgent.fluentd() });
    expect(manifests.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    expect(agent.configMap).toBeUndefined();
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'varlog', mountPath: '/var/log', readOnly: false },
      { name: 'dockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
    ]));
  });
});

describe('errors', () => {
  const attempt = (elasticsearch: Partial<ElasticsearchOutput>, props: Partial<LogCollectorDaemonProps> = {}) => () => build(props, elasticsearch);

  test('Elasticsearch port out of range', () => {
    expect(attempt({ port: 70000 })).toThrow(/test\/logs: elasticsearch\.port must be an integer in 1-65535 \(got 70000\)\. Use the Elasticsearch HTTP port/);
    expect(attempt({ port: 0 })).toThrow(/elasticsearch\.port must be an integer in 1-65535 \(got 0\)/);
  });

  test('empty Elasticsearch host', () => {
    expect(attempt({ host: '' })).toThrow(/test\/logs: elasticsearch\.host must not be empty \(got ""\)/);
  });

  test('a URL instead of a host', () => {
    expect(attempt({ host: 'https://es:9200' })).toThrow(/elasticsearch\.host must be a bare host name or IP/);
  });

  test('an index name Elasticsearch rejects', () => {
    expect(attempt({ index: ElasticsearchIndex.named('Logs') })).toThrow(/elasticsearch\.index must be lowercase/);
  });

  test('an unpinned image', () => {
    expect(attempt({}, { image: 'cr.fluentbit.io/fluent/fluent-bit' })).toThrow(/test\/logs: image has no tag/);
    expect(attempt({}, { agent: LogAgent.fluentd({ image: 'fluent/fluentd-kubernetes-daemonset:latest' }) })).toThrow(/image uses the "latest" tag/);
  });

  test('a memory buffer that is not whole MiB', () => {
    expect(attempt({}, { agent: LogAgent.fluentBit({ memBufLimit: Size.kibibytes(1500) }) }))
      .toThrow(/^test\/logs: fluentBit\.memBufLimit must be a whole number of MiB, at least 1 \(got "1500Ki"\)\. Use Size\.mebibytes\(\)/);
    expect(attempt({}, { agent: LogAgent.fluentBit({ storageLimit: Size.kibibytes(512) }) })).toThrow(/^test\/logs: fluentBit\.storageLimit must be a whole number of MiB, at least 1 \(got "512Ki"\)/);
  });

  test('a flush interval below one second', () => {
    expect(attempt({}, { agent: LogAgent.fluentBit({ flushSeconds: 0 }) })).toThrow(/fluentBit\.flushSeconds must be a whole number >= 1 \(got 0\)/);
  });
});

describe('cluster-scoped objects in a namespaced chart', () => {
  test('Namespace, ClusterRole and ClusterRoleBinding carry no namespace; namespaced objects keep theirs', () => {
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'logging' });
    new LogCollectorDaemon(chart, 'fluent-bit', { namespaceName: 'logging', createNamespace: true, elasticsearch: { host: 'es', port: 9200 } });
    const manifests = Testing.synth(chart);
    for (const kind of ['Namespace', 'ClusterRole', 'ClusterRoleBinding']) {
      const object = manifests.find((m) => m.kind === kind);
      expect([kind, object?.metadata.namespace]).toEqual([kind, undefined]);
    }
    expect(manifests.find((m) => m.kind === 'DaemonSet')?.metadata.namespace).toBe('logging');
    expect(() => synthValid(chart, { restrictedExemptions: ['DaemonSet/fluent-bit'] })).not.toThrow();
  });
  test('the harness reports a namespace on a cluster-scoped object', () => {
    expect(validateManifests([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'logging' }, rules: [] }]))
      .toContain('ClusterRole/reader: metadata.namespace "logging" is set on a cluster-scoped ClusterRole: remove it (a namespaced chart copies its namespace onto every object)');
  });
});
