/** Logstash: the official image under the restricted Pod Security Standard, configured from typed props. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { ApiObject, Chart, Duration, JsonPatch, Size, Testing, Yaml } from 'cdk8s';
import {
  DisruptionBudget, Errors, Logstash, LogstashInput, LogstashOutput, LogstashPersistentQueue, LogstashPipeline, LogstashProps, NetworkPeer, Resources,
} from '../../lib';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../lib/defaults/rollout';

const ES = 'https://elasticsearch.search.svc.cluster.local:9200';

function refs() {
  const chart = new Chart(Testing.app(), 'refs');
  return { creds: kplus.Secret.fromSecretName(chart, 'c', 'es-credentials'), ca: kplus.Secret.fromSecretName(chart, 'a', 'es-ca') };
}

function defaultPipeline(): LogstashPipeline {
  const { creds, ca } = refs();
  return LogstashPipeline.logs({ hosts: [ES], credentials: { secret: creds }, caCertificate: { secret: ca } });
}

function build(props: Partial<LogstashProps> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'logs' });
  const logstash = new Logstash(chart, 'logstash', { pipeline: defaultPipeline(), ...props });
  return { chart, logstash };
}

function synth(props: Partial<LogstashProps> = {}) {
  const { chart, logstash } = build(props);
  // No exemptions: Logstash passes the restricted Pod Security Standard.
  const manifests = synthValid(chart, { production: true, restricted: true });
  const deployment = findManifest(manifests, 'Deployment', 'logstash');
  const pod: Manifest = deployment.spec.template.spec;
  return { logstash, manifests, deployment, pod, container: pod.containers[0] as Manifest };
}

function parseYaml(text: string): Record<string, unknown> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logstash-yml-')), 'logstash.yml');
  fs.writeFileSync(file, text);
  return Yaml.load(file)[0];
}

const envOf = (container: Manifest) => Object.fromEntries((container.env ?? []).map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));

test('snapshot of the defaults', () => {
  expect(synth().manifests).toMatchSnapshot();
});

describe('image and files', () => {
  test('the pinned official 8.x image as uid/gid 1000, restricted context', () => {
    const { container, pod } = synth();
    expect(container.image).toMatch(/^docker\.elastic\.co\/logstash\/logstash:8\.\d+\.\d+$/);
    expect(container.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('the pipeline ConfigMap is mounted over the image\'s default pipeline directory', () => {
    const { manifests, pod, container, logstash } = synth();
    expect(findManifest(manifests, 'ConfigMap', 'logstash-pipeline').data).toEqual({ 'logstash.conf': logstash.pipelineText });
    expect(pod.volumes).toContainEqual({ name: 'pipeline', configMap: { name: 'logstash-pipeline' } });
    expect(container.volumeMounts).toContainEqual({ name: 'pipeline', mountPath: '/usr/share/logstash/pipeline', readOnly: true });
  });

  test('logstash.yml replaces only the image\'s logstash.yml (subPath): the API on every interface, port 9600', () => {
    const { manifests, container } = synth();
    const text = findManifest(manifests, 'ConfigMap', 'logstash-settings').data['logstash.yml'];
    expect(parseYaml(text)).toEqual({
      'api.http.host': '0.0.0.0', 'api.http.port': 9600, 'path.data': '/usr/share/logstash/data', 'config.reload.automatic': false,
      'queue.type': 'memory', 'xpack.monitoring.enabled': false,
    });
    expect(container.volumeMounts).toContainEqual({ name: 'settings', mountPath: '/usr/share/logstash/config/logstash.yml', subPath: 'logstash.yml', readOnly: true });
  });

  test('writable under the read-only root: data, /tmp and logs as size-limited emptyDirs', () => {
    const { pod, container } = synth();
    for (const [name, mountPath] of [['data', '/usr/share/logstash/data'], ['tmp', '/tmp'], ['logs', '/usr/share/logstash/logs']]) {
      expect(container.volumeMounts).toContainEqual({ name, mountPath });
      expect(pod.volumes).toContainEqual({ name, emptyDir: { medium: '', sizeLimit: '256Mi' } });
    }
  });

  test('the Elasticsearch credentials come from the Secret as variables, the CA as a mounted file', () => {
    const { container, pod, manifests, logstash } = synth();
    expect(envOf(container)).toMatchObject({
      LOGSTASH_OUTPUT_0_USERNAME: { secretKeyRef: { name: 'es-credentials', key: 'username' } },
      LOGSTASH_OUTPUT_0_PASSWORD: { secretKeyRef: { name: 'es-credentials', key: 'password' } },
    });
    expect(logstash.pipelineText).toContain('password                    => "${LOGSTASH_OUTPUT_0_PASSWORD}"');
    expect(pod.volumes).toContainEqual({ name: 'output-0', secret: { secretName: 'es-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(container.volumeMounts).toContainEqual({ name: 'output-0', mountPath: '/usr/share/logstash/certs/output-0', readOnly: true });
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('http input basic auth: the credentials come from the Secret as variables', () => {
    const { creds } = refs();
    const { container, logstash } = synth({ pipeline: new LogstashPipeline({ inputs: [LogstashInput.http({ credentials: { secret: creds } })], outputs: [LogstashOutput.elasticsearch({ hosts: ['http://es:9200'] })] }) });
    expect(envOf(container)).toMatchObject({ LOGSTASH_INPUT_0_PASSWORD: { secretKeyRef: { name: 'es-credentials', key: 'password' } } });
    expect(logstash.pipelineText).toContain('password => "${LOGSTASH_INPUT_0_PASSWORD}"');
  });

  test('input TLS: the certificate Secret mounted where the input reads it', () => {
    const tls = kplus.Secret.fromSecretName(new Chart(Testing.app(), 'r'), 't', 'logstash-tls');
    const { pod, logstash } = synth({ pipeline: new LogstashPipeline({ inputs: [LogstashInput.http({ tls: { secret: tls } })], outputs: [LogstashOutput.elasticsearch({ hosts: ['http://es:9200'] })] }) });
    expect(pod.volumes).toContainEqual({ name: 'input-0', secret: { secretName: 'logstash-tls', items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } });
    expect(logstash.pipelineText).toContain('ssl_key         => "/usr/share/logstash/certs/input-0/tls.key"');
  });
});

describe('heap', () => {
  test('half the memory limit, Xms = Xmx, through LS_JAVA_OPTS', () => {
    const { container, logstash } = synth();
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { cpu: '2000m', memory: '2048Mi' } });
    expect(envOf(container).LS_JAVA_OPTS).toBe('-Xms1024m -Xmx1024m');
    expect(logstash.heapMebibytes).toBe(1024);
    expect(envOf(synth({ resources: Resources.fromValues(1000, 2000, 3072, 3072) }).container).LS_JAVA_OPTS).toBe('-Xms1536m -Xmx1536m');
  });
});

describe('probes', () => {
  test('readiness and liveness on the monitoring API; a startup probe gives the chart\'s 300 s to start', () => {
    const { container } = synth();
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) expect(probe.httpGet).toEqual({ path: '/', port: 9600, scheme: 'HTTP' });
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(300);
    expect(container.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.ports).toContainEqual({ name: 'monitoring', containerPort: 9600 });
  });
});

describe('Service and NetworkPolicy', () => {
  test('the Service carries the inputs\' ports (not the monitoring API)', () => {
    const { manifests, logstash } = synth();
    expect(findManifest(manifests, 'Service', 'logstash').spec.ports).toEqual([
      { name: 'beats', port: 5044, targetPort: 5044 },
      { name: 'http-input', port: 8080, targetPort: 8080 },
    ]);
    expect(logstash.host).toBe('logstash.logs.svc.cluster.local');
    expect(logstash.inputPorts).toEqual({ beats: 5044, 'http-input': 8080 });
  });

  test('the NetworkPolicy admits clients (and allowFrom) on the input ports', () => {
    const collectors = NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' });
    const { manifests, logstash } = synth({ allowFrom: [collectors] });
    const ingress = findManifest(manifests, 'NetworkPolicy', 'logstash').spec.ingress;
    expect(ingress).toHaveLength(1);
    expect(ingress[0].from).toContainEqual({ podSelector: { matchLabels: { 'cdk8s-workloads.io/client-of': 'logstash' } } });
    expect(ingress[0].from).toContainEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } });
    expect(ingress[0].ports.map((p: Manifest) => p.port)).toEqual([5044, 8080]);
    expect(logstash.clientPodLabels()).toEqual({ 'cdk8s-workloads.io/client-of': 'logstash' });
  });

  test('allowedClients: the NetworkPolicy admits only those peers, on the input ports (not the monitoring API)', () => {
    const collectors = NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' });
    const ingress = findManifest(synth({ allowedClients: [collectors] }).manifests, 'NetworkPolicy', 'logstash').spec.ingress;
    expect(ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }],
      ports: [{ protocol: 'TCP', port: 5044 }, { protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('PDB for the default 2 replicas; HPA without replicas when autoscaled', () => {
    expect(findManifest(synth().manifests, 'PodDisruptionBudget', 'logstash').spec.maxUnavailable).toBe(1);
    const scaled = synth({ autoscaling: { minReplicas: 2, maxReplicas: 6 } });
    expect(scaled.deployment.spec).not.toHaveProperty('replicas');
    expect(findManifest(scaled.manifests, 'HorizontalPodAutoscaler', 'logstash').spec.maxReplicas).toBe(6);
  });
});

describe('config checksum', () => {
  test('a changed pipeline or setting changes the pod template', () => {
    const sum = (props: Partial<LogstashProps>) => synth(props).deployment.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    const base = sum({});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(sum({})).toBe(base);
    expect(sum({ pipeline: LogstashPipeline.logs({ hosts: ['https://other:9200'] }) })).not.toBe(base);
    expect(sum({ persistentQueue: LogstashPersistentQueue.emptyDir() })).not.toBe(base);
  });
});

describe('persisted queue', () => {
  test('on an emptyDir: queue.type persisted, drained on shutdown, the data volume sized for it', () => {
    const { logstash, pod } = synth({ persistentQueue: LogstashPersistentQueue.emptyDir({ maxBytes: Size.gibibytes(2) }) });
    expect(parseYaml(logstash.settingsText)).toMatchObject({ 'queue.type': 'persisted', 'queue.max_bytes': '2048mb', 'queue.drain': true });
    expect(pod.volumes).toContainEqual({ name: 'data', emptyDir: { medium: '', sizeLimit: '2304Mi' } });
  });

  test('on a PersistentVolumeClaim: one replica, Recreate, the claim mounted at the data directory', () => {
    const claim = kplus.PersistentVolumeClaim.fromClaimName(new Chart(Testing.app(), 'r'), 'q', 'logstash-queue');
    const { deployment, pod, container, manifests } = synth({ replicas: 1, persistentQueue: LogstashPersistentQueue.persistentVolumeClaim(claim) });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'logstash-queue', readOnly: false } });
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/usr/share/logstash/data' });
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

test('escape hatch: ApiObject.of(logstash) is the Deployment', () => {
  const { chart, logstash } = build();
  ApiObject.of(logstash).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
  expect(findManifest(synthValid(chart), 'Deployment', 'logstash').spec.revisionHistoryLimit).toBe(5);
});

test('every object carries the recommended labels', () => {
  for (const m of synth().manifests) {
    expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'logstash', 'app.kubernetes.io/component': 'log-processor', 'app.kubernetes.io/managed-by': 'cdk8s-workloads' });
  }
});

describe('errors', () => {
  const attempt = (props: Partial<LogstashProps> | Record<string, unknown>) => () => build(props as Partial<LogstashProps>);
  const claim = () => kplus.PersistentVolumeClaim.fromClaimName(new Chart(Testing.app(), 'r'), 'q', 'logstash-queue');
  const only = (outputs: LogstashOutput[], inputs: LogstashInput[] = [LogstashInput.beats()]) => new LogstashPipeline({ inputs, outputs });

  test('unknown prop', () => {
    expect(attempt({ pipelines: [] })).toThrow(/test\/logstash: pipelines is not a prop of LogstashProps .*Did you mean `pipeline`\?/);
  });
  test('pipeline missing', () => {
    expect(attempt({ pipeline: undefined })).toThrow(/pipeline must be a LogstashPipeline \(got nothing\)/);
  });
  test('no inputs', () => {
    expect(attempt({ pipeline: new LogstashPipeline({ inputs: [], outputs: [LogstashOutput.elasticsearch({ hosts: [ES] })] }) })).toThrow(/pipeline.inputs must not be empty/);
  });
  test('no outputs', () => {
    expect(attempt({ pipeline: only([]) })).toThrow(/pipeline.outputs must not be empty/);
  });
  test('an input that is not a LogstashInput', () => {
    expect(attempt({ pipeline: new LogstashPipeline({ inputs: [{ port: 5044 } as never], outputs: [LogstashOutput.elasticsearch({ hosts: [ES] })] }) })).toThrow(/pipeline.inputs\[0\] must be a LogstashInput/);
  });
  test('two inputs on one port', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES] })], [LogstashInput.beats({ port: 6000 }), LogstashInput.http({ port: 6000 })]) })).toThrow(/pipeline.inputs\[1\].port is already used by the input on port "beats"/);
  });
  test('an input on the monitoring port', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES] })], [LogstashInput.http({ port: 9600 })]) })).toThrow(/pipeline.inputs\[0\].port is already used by the monitoring API/);
  });
  test('a privileged input port', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES] })], [LogstashInput.http({ port: 80 })]) })).toThrow(/pipeline.inputs\[0\].port must be an integer in 1024-65535/);
  });
  test('unknown input option', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES] })], [LogstashInput.beats({ prot: 5044 } as never)]) })).toThrow(/prot is not a prop of BeatsInputOptions/);
  });
  test('no hosts', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [] })]) })).toThrow(/pipeline.outputs\[0\].hosts must list at least one URL/);
  });
  test('a host without scheme', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: ['elasticsearch:9200'] })]) })).toThrow(/pipeline.outputs\[0\].hosts\[0\] must be a URL with scheme http or https/);
  });
  test('mixed schemes', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: ['http://a:9200', 'https://b:9200'] })]) })).toThrow(/hosts mix http and https/);
  });
  test('a CA for plain http', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: ['http://a:9200'], caCertificate: { secret: refs().ca } })]) })).toThrow(/caCertificate applies to https hosts only/);
  });
  test('an index with a double quote', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES], index: 'logs"' })]) })).toThrow(/pipeline.outputs\[0\].index must not contain a double quote/);
  });
  test('an invalid Secret key', () => {
    expect(attempt({ pipeline: only([LogstashOutput.elasticsearch({ hosts: [ES], credentials: { secret: refs().creds, passwordKey: 'pass word' } })]) })).toThrow(/credentials.passwordKey must consist of letters/);
  });
  test('no memory limit', () => {
    expect(attempt({ resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1) } } })).toThrow(/resources.memory.limit is required: the heap is sized from it/);
  });
  test('a memory limit too small for a heap', () => {
    expect(attempt({ resources: Resources.fromValues(100, 500, 256, 256) })).toThrow(/resources.memory.limit gives a heap of 128 MiB .*\(got "256Mi"\)\. Use a limit of at least 512Mi/);
  });
  test('an env variable env2yaml would turn into a setting', () => {
    expect(attempt({ env: { PIPELINE_WORKERS: kplus.EnvValue.fromValue('4') } })).toThrow(/env\["PIPELINE_WORKERS"\] names the setting "pipeline.workers": the image's entrypoint \(env2yaml\) would rewrite logstash.yml/);
  });
  test('NODE_NAME is such a variable too', () => {
    expect(attempt({ env: { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) } })).toThrow(/names the setting "node.name"/);
  });
  test('LS_JAVA_OPTS is the construct\'s', () => {
    expect(attempt({ env: { LS_JAVA_OPTS: kplus.EnvValue.fromValue('-Xmx8g') } })).toThrow(/env\["LS_JAVA_OPTS"\] is set by the construct .*change the limit/);
  });
  test('a queue smaller than two pages', () => {
    expect(attempt({ persistentQueue: LogstashPersistentQueue.emptyDir({ maxBytes: Size.mebibytes(64) }) })).toThrow(/persistentQueue.maxBytes must be a whole number of MiB, at least 128/);
  });
  test('persistentQueue of the wrong type', () => {
    expect(attempt({ persistentQueue: { type: 'persisted' } as never })).toThrow(/persistentQueue must be a LogstashPersistentQueue/);
  });
  test('a claim-backed queue with the default 2 replicas', () => {
    const error = (() => { try { build({ persistentQueue: LogstashPersistentQueue.persistentVolumeClaim(claim()) }); } catch (e) { return e; } return undefined; })();
    expect(Errors.isConflictingPropsError(error)).toBe(true);
    expect((error as Error).message).toMatch(/replicas defaults to 2: one claim holds one queue/);
  });
  test('a claim-backed queue with 3 replicas', () => {
    expect(attempt({ replicas: 3, persistentQueue: LogstashPersistentQueue.persistentVolumeClaim(claim()) })).toThrow(/replicas is 3: one claim holds one queue/);
  });
  test('a claim-backed queue with autoscaling', () => {
    expect(attempt({ autoscaling: { minReplicas: 1, maxReplicas: 3 }, persistentQueue: LogstashPersistentQueue.persistentVolumeClaim(claim()) })).toThrow(/autoscaling is set: new pods could not share the claim/);
  });
  test('a claim-backed queue with a disruption budget', () => {
    expect(attempt({ replicas: 1, disruptionBudget: DisruptionBudget.maxUnavailable(1), persistentQueue: LogstashPersistentQueue.persistentVolumeClaim(claim()) })).toThrow(/a queue on one claim runs one pod/);
  });
  test('grace period of the wrong type', () => {
    expect(attempt({ terminationGracePeriod: 60 as never })).toThrow(/terminationGracePeriod must be a cdk8s Duration/);
  });
  test('an unpinned image', () => {
    expect(attempt({ image: 'docker.elastic.co/logstash/logstash' })).toThrow(/image has no tag/);
  });
  test('a Logstash 7 image', () => {
    expect(attempt({ image: 'docker.elastic.co/logstash/logstash:7.17.9' })).toThrow(/image is Logstash 7 or older; the generated pipeline and logstash.yml use 8.x setting names \(got "docker.elastic.co\/logstash\/logstash:7.17.9"\)/);
  });
  test('a duplicate construct id', () => {
    const { chart } = build();
    expect(() => new Logstash(chart, 'logstash', { pipeline: defaultPipeline(), terminationGracePeriod: Duration.seconds(30) })).toThrow(/id \(the construct id\) is already used/);
  });
});
