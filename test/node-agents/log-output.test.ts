/** LogCollectorDaemon outputs as value objects: LogOutput.elasticsearch and LogOutput.logstash, with TLS. */
import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import {
  CaCertificate, ElasticsearchScheme, Errors, LogAgent, LogCollectorDaemon, LogCollectorDaemonProps, LogOutput, LogOutputKind,
} from '../../lib';
import { findManifest, Manifest, synthValid } from '../../lib/testing/validate';

const LOGSTASH_HOST = 'logstash.logs.svc.cluster.local';

function build(props: Partial<LogCollectorDaemonProps>) {
  const chart = new Chart(Testing.app(), 'test');
  const agent = new LogCollectorDaemon(chart, 'logs', props as LogCollectorDaemonProps);
  return { chart, agent };
}

function synth(props: Partial<LogCollectorDaemonProps>) {
  const { chart, agent } = build(props);
  const manifests = synthValid(chart, { production: true, restricted: true, restrictedExemptions: ['DaemonSet/logs'] });
  const ds = findManifest(manifests, 'DaemonSet', 'logs');
  const pod: Manifest = ds.spec.template.spec;
  return { agent, manifests, pod, container: pod.containers[0] as Manifest };
}

function outputSection(agent: LogCollectorDaemon): Map<string, string> {
  return new Map(agent.fluentBitConfig!.find((s) => s.name === 'OUTPUT')!.entries.map(({ key, value }) => [key, value]));
}

const refs = () => new Chart(Testing.app(), 'refs');

test('snapshot: Fluent Bit to Logstash over TLS with a CA', () => {
  const secret = kplus.Secret.fromSecretName(refs(), 'ca', 'logstash-ca');
  expect(synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { caCertificate: CaCertificate.fromSecret(secret) } }) }).manifests).toMatchSnapshot();
});

describe('LogOutput.logstash (Fluent Bit http output to Logstash\'s http input)', () => {
  test('JSON arrays to the http input, the record time as @timestamp, retried until a 2xx', () => {
    const { agent, manifests } = synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST }) });
    const out = outputSection(agent);
    expect([...out.entries()]).toEqual([
      ['Name', 'http'], ['Match', 'kube.*'], ['Host', LOGSTASH_HOST], ['Port', '8080'], ['URI', '/'], ['Format', 'json'],
      ['Json_Date_Key', '@timestamp'], ['Json_Date_Format', 'iso8601'], ['Retry_Limit', 'False'], ['storage.total_limit_size', '1024M'], ['tls', 'Off'],
    ]);
    const text: string = findManifest(manifests, 'ConfigMap', 'logs-config').data['fluent-bit.conf'];
    expect(text).toMatch(/\[OUTPUT\]\n {4}Name +http\n/);
    expect(agent.output.kind).toBe(LogOutputKind.LOGSTASH);
    expect(agent.elasticsearch).toBeUndefined();
  });

  test('no Elasticsearch credentials in the environment', () => {
    const { container } = synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST, port: 9000 }) });
    expect(container.env).toBeUndefined();
  });

  test('TLS verifies by default, with the CA from a Secret mounted read-only', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'ca', 'logstash-ca');
    const { agent, pod, container } = synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { caCertificate: CaCertificate.fromSecret(secret) } }) });
    const out = outputSection(agent);
    expect(out.get('tls')).toBe('On');
    expect(out.get('tls.verify')).toBe('On');
    expect(out.get('tls.ca_file')).toBe('/etc/cdk8s-workloads/output-ca/ca.crt');
    expect(pod.volumes).toContainEqual({ name: 'output-ca', secret: { secretName: 'logstash-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(container.volumeMounts).toContainEqual({ name: 'output-ca', mountPath: '/etc/cdk8s-workloads/output-ca', readOnly: true });
  });

  test('basic auth: the credentials come from the Secret as variables, the config refers to them', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'auth', 'logstash-auth');
    const { agent, container, manifests } = synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: {}, credentials: { secret, passwordKey: 'pass' } }) });
    const out = outputSection(agent);
    expect(out.get('HTTP_User')).toBe('${LOGSTASH_USERNAME}');
    expect(out.get('HTTP_Passwd')).toBe('${LOGSTASH_PASSWORD}');
    expect(container.env).toEqual([
      { name: 'LOGSTASH_USERNAME', valueFrom: { secretKeyRef: { name: 'logstash-auth', key: 'username' } } },
      { name: 'LOGSTASH_PASSWORD', valueFrom: { secretKeyRef: { name: 'logstash-auth', key: 'pass' } } },
    ]);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('TLS without a CA uses the image\'s trust store; verify can be turned off', () => {
    const out = outputSection(synth({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { verify: false } }) }).agent);
    expect(out.get('tls.verify')).toBe('Off');
    expect(out.has('tls.ca_file')).toBe(false);
  });
});

describe('LogOutput.elasticsearch', () => {
  test('the same configuration as the deprecated elasticsearch prop', () => {
    const es = { host: 'es.search.svc.cluster.local', port: 9243 };
    const viaOutput = synth({ output: LogOutput.elasticsearch(es) });
    const viaProp = synth({ elasticsearch: es });
    expect(findManifest(viaOutput.manifests, 'ConfigMap', 'logs-config').data).toEqual(findManifest(viaProp.manifests, 'ConfigMap', 'logs-config').data);
    expect(viaOutput.agent.elasticsearch).toMatchObject({ host: es.host, port: 9243 });
    expect(viaProp.agent.output.kind).toBe(LogOutputKind.ELASTICSEARCH);
  });

  test('a CA from a ConfigMap (a trust bundle), mounted and named in the es output', () => {
    const bundle = kplus.ConfigMap.fromConfigMapName(refs(), 'bundle', 'cluster-trust');
    const { agent, pod } = synth({ output: LogOutput.elasticsearch({ host: 'es', caCertificate: CaCertificate.fromConfigMap(bundle, 'trust.pem') }) });
    expect(outputSection(agent).get('tls.ca_file')).toBe('/etc/cdk8s-workloads/output-ca/ca.crt');
    expect(outputSection(agent).get('Name')).toBe('es');
    expect(pod.volumes).toContainEqual({ name: 'output-ca', configMap: { name: 'cluster-trust', items: [{ key: 'trust.pem', path: 'ca.crt' }] } });
  });
});

describe('Fluentd', () => {
  test('Elasticsearch through LogOutput works as before', () => {
    const { container } = synth({ agent: LogAgent.fluentd(), output: LogOutput.elasticsearch({ host: 'es' }) });
    expect(container.env).toContainEqual({ name: 'FLUENT_ELASTICSEARCH_HOST', value: 'es' });
  });
});

describe('errors', () => {
  const attempt = (props: Partial<LogCollectorDaemonProps> | Record<string, unknown>) => () => build(props as Partial<LogCollectorDaemonProps>);

  test('neither output nor elasticsearch', () => {
    expect(attempt({})).toThrow(/test\/logs: output is required \(got nothing\)\. Pass e\.g\. output: LogOutput\.elasticsearch/);
  });
  test('both output and elasticsearch', () => {
    const error = (() => { try { build({ output: LogOutput.logstash({ host: LOGSTASH_HOST }), elasticsearch: { host: 'es' } }); } catch (e) { return e; } return undefined; })();
    expect(Errors.isConflictingPropsError(error)).toBe(true);
    expect((error as Error).message).toMatch(/output and elasticsearch are both set: one would be silently dropped/);
  });
  test('output that is not a LogOutput', () => {
    expect(attempt({ output: { host: 'es' } })).toThrow(/output must be a LogOutput/);
  });
  test('Logstash with Fluentd', () => {
    expect(attempt({ agent: LogAgent.fluentd(), output: LogOutput.logstash({ host: LOGSTASH_HOST }) })).toThrow(/output is not supported by LogAgent\.fluentd\(\).*\(got "logstash"\)\. Use LogAgent\.fluentBit\(\)/);
  });
  test('a CA with Fluentd', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'ca', 'es-ca');
    expect(attempt({ agent: LogAgent.fluentd(), output: LogOutput.elasticsearch({ host: 'es', caCertificate: CaCertificate.fromSecret(secret) }) })).toThrow(/elasticsearch.caCertificate is not supported by LogAgent\.fluentd\(\)/);
  });
  test('a Logstash host with a scheme', () => {
    expect(attempt({ output: LogOutput.logstash({ host: 'http://logstash:8080' }) })).toThrow(/logstash.host must be a bare host name or IP \(no scheme, port or path\) \(got "http:\/\/logstash:8080"\)/);
  });
  test('a Logstash port out of range', () => {
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, port: 0 }) })).toThrow(/logstash.port must be an integer in 1-65535 \(got 0\)/);
  });
  test('an unknown Logstash option', () => {
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tlsVerify: false } as never) })).toThrow(/tlsVerify is not a prop of LogstashHttpOutputOptions/);
  });
  test('an unknown TLS option', () => {
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { ca: 'x' } as never }) })).toThrow(/ca is not a prop of LogOutputTls/);
  });
  test('basic auth without its Secret', () => {
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, credentials: {} as never }) })).toThrow(/logstash.credentials.secret is required/);
  });
  test('basic auth with an invalid key', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'auth', 'logstash-auth');
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, credentials: { secret, usernameKey: 'user name' } }) })).toThrow(/logstash.credentials.usernameKey must consist of letters/);
  });
  test('an unknown credentials option', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'auth', 'logstash-auth');
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, credentials: { secret, user: 'x' } as never }) })).toThrow(/user is not a prop of HttpBasicCredentials/);
  });
  test('a CA that is not a CaCertificate', () => {
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { caCertificate: 'ca.crt' as never } }) })).toThrow(/logstash.tls.caCertificate must be a CaCertificate/);
  });
  test('a CA key Kubernetes rejects', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'ca', 'es-ca');
    expect(attempt({ output: LogOutput.logstash({ host: LOGSTASH_HOST, tls: { caCertificate: CaCertificate.fromSecret(secret, 'ca crt') } }) })).toThrow(/logstash.tls.caCertificate.key must consist of letters/);
  });
  test('a CA for plain-HTTP Elasticsearch', () => {
    const secret = kplus.Secret.fromSecretName(refs(), 'ca', 'es-ca');
    expect(attempt({ output: LogOutput.elasticsearch({ host: 'es', scheme: ElasticsearchScheme.HTTP, caCertificate: CaCertificate.fromSecret(secret) }) })).toThrow(/elasticsearch.caCertificate applies to HTTPS only \(got "http"\)/);
  });
  test('an unknown Elasticsearch option', () => {
    expect(attempt({ output: LogOutput.elasticsearch({ host: 'es', hosts: ['x'] } as never) })).toThrow(/hosts is not a prop of ElasticsearchLogOutputOptions.*Did you mean `host`\?/);
  });
});
