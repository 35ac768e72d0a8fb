import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { LogPipeline, PodSecurityLevel, testing } from '../../lib';
import { findManifest, Manifest, validateManifests } from '../../lib/testing/validate';
import { admits, COLLECTOR_NS, PIPELINE_NS, pipelineCharts, podOf, PodRef, selects } from './log-pipeline-support';

/** Both charts, each validated at its namespace's Pod Security level. */
function synthBoth(parts = pipelineCharts()) {
  const restricted = testing.Harness.synthValid(parts.chart, { restricted: true, production: true });
  const privileged = testing.Harness.synthValid(parts.collectorChart, { production: true });
  return { ...parts, restricted, privileged, all: [...restricted, ...privileged] };
}

const stranger = (namespace: string, labels: Record<string, string> = { app: 'stranger' }): PodRef => ({ namespace, labels });

describe('LogPipeline', () => {
  const { pipeline, restricted, privileged, all } = synthBoth();
  const collector = podOf(all, 'DaemonSet', 'logs-collector');
  const logstash = podOf(all, 'Deployment', 'logs-logstash');
  const es = podOf(all, 'StatefulSet', 'logs-es');

  test('snapshot of the defaults (both charts)', () => {
    expect({ restricted, privileged }).toMatchSnapshot();
  });

  test('Pod Security per namespace: Logstash and Elasticsearch pass restricted; the collector needs and gets a privileged namespace', () => {
    expect(restricted.filter((m) => ['Deployment', 'StatefulSet'].map(String).includes(m.kind)).map((m) => m.metadata.namespace)).toEqual([PIPELINE_NS, PIPELINE_NS]);
    expect(pipeline.collector.requiredPodSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(findManifest(privileged, 'Namespace', COLLECTOR_NS).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    // Not vacuous: the collector's pods fail the restricted level, so it must not share the pipeline's namespace.
    expect(validateManifests(privileged, { restricted: true }).some((p) => p.startsWith('DaemonSet/logs-collector: restricted:'))).toBe(true);
    expect(privileged.filter((m) => m.metadata.namespace !== undefined).every((m) => m.metadata.namespace === COLLECTOR_NS)).toBe(true);
  });

  test('public fields expose the three parts and the namespaces', () => {
    expect([pipeline.collector.name, pipeline.logstash.name, pipeline.elasticsearch.name]).toEqual(['logs-collector', 'logs-logstash', 'logs-es']);
    expect([pipeline.namespaceName, pipeline.collectorNamespaceName]).toEqual([PIPELINE_NS, COLLECTOR_NS]);
  });

  test('every Service selects the pods it should, and only those', () => {
    expect(selects(all, 'logs-logstash', PIPELINE_NS, logstash)).toBe(true);
    expect(selects(all, 'logs-logstash', PIPELINE_NS, es)).toBe(false);
    for (const service of ['logs-es', 'logs-es-hl']) {
      expect(selects(all, service, PIPELINE_NS, es)).toBe(true);
      expect(selects(all, service, PIPELINE_NS, logstash)).toBe(false);
    }
    // The Logstash Service has the one input the collector uses (no beats port left open).
    expect(findManifest(all, 'Service', 'logs-logstash').spec.ports).toEqual([{ name: 'http-input', port: 8080, targetPort: 8080 }]);
    expect(findManifest(all, 'Service', 'logs-es').spec.ports.map((p: Manifest) => p.port)).toEqual([9200]);
  });

  test('the collector ships to the Logstash Service; Logstash writes to the Elasticsearch client Service over TLS', () => {
    const fluentBit = Object.values(findManifest(all, 'ConfigMap', 'logs-collector-config').data as Record<string, string>)[0];
    expect(fluentBit).toMatch(/^\s+Name\s+http$/m);
    expect(fluentBit).toMatch(/^\s+Host\s+logs-logstash\.logs\.svc\.cluster\.local$/m);
    expect(fluentBit).toMatch(/^\s+Port\s+8080$/m);
    expect(pipeline.logstash.host).toBe('logs-logstash.logs.svc.cluster.local');
    const conf = findManifest(all, 'ConfigMap', 'logs-logstash-pipeline').data['logstash.conf'];
    expect(conf).toContain(`hosts                       => ["https://${pipeline.elasticsearch.clientHost}:9200"]`);
    expect(pipeline.elasticsearch.clientHost).toBe('logs-es.logs.svc.cluster.local');
    expect(conf).toContain('ssl_verification_mode       => "full"');
  });

  test('the Elasticsearch password and the CA are referenced, never written', () => {
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
    const pod = findManifest(all, 'Deployment', 'logs-logstash').spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: Manifest) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(env.LOGSTASH_OUTPUT_0_PASSWORD).toEqual({ name: 'logs-es-credentials', key: 'elastic-password' });
    expect(env.LOGSTASH_OUTPUT_0_USERNAME).toEqual({ name: 'logs-es-credentials', key: 'username' });
    const ca = pod.volumes.find((v: Manifest) => v.secret?.secretName === 'logs-es-certs');
    expect(ca.secret.items).toEqual([{ key: 'ca.crt', path: 'ca.crt' }]);
  });

  describe('NetworkPolicies admit exactly the hops', () => {
    test('collector -> Logstash input: the collector pods, from their namespace only', () => {
      expect(admits(all, logstash, collector, 8080)).toBe(true);
      expect(admits(all, logstash, stranger(COLLECTOR_NS), 8080)).toBe(false);
      expect(admits(all, logstash, stranger(PIPELINE_NS), 8080)).toBe(false);
      // The collector's labels in another namespace are not the collector.
      expect(admits(all, logstash, stranger(PIPELINE_NS, collector.labels), 8080)).toBe(false);
      expect(admits(all, logstash, stranger('default', collector.labels), 8080)).toBe(false);
      // Logstash's own client labels (its default policy) no longer open the input.
      expect(admits(all, logstash, stranger(PIPELINE_NS, pipeline.logstash.clientPodLabels()), 8080)).toBe(false);
      // Nothing else on Logstash: not the monitoring API, not beats.
      expect(admits(all, logstash, collector, 9600)).toBe(false);
      expect(admits(all, logstash, collector, 5044)).toBe(false);
    });

    test('Logstash -> Elasticsearch on 9200 only; neither the collector nor a stranger reaches Elasticsearch', () => {
      expect(admits(all, es, logstash, 9200)).toBe(true);
      expect(admits(all, es, logstash, 9300)).toBe(false);
      expect(admits(all, es, collector, 9200)).toBe(false);
      expect(admits(all, es, stranger(PIPELINE_NS), 9200)).toBe(false);
      expect(admits(all, es, stranger(COLLECTOR_NS), 9200)).toBe(false);
    });

    test('Elasticsearch peers reach each other on 9300; no one else does', () => {
      expect(admits(all, es, es, 9300)).toBe(true);
      expect(admits(all, es, stranger(PIPELINE_NS), 9300)).toBe(false);
      expect(admits(all, es, stranger(COLLECTOR_NS, es.labels), 9300)).toBe(false);
    });

    test('the evaluation is not vacuous: without the policies a stranger would get in', () => {
      const noPolicies = all.filter((m) => m.kind !== 'NetworkPolicy');
      expect(admits(noPolicies, logstash, stranger(PIPELINE_NS), 8080)).toBe(true);
      expect(admits(noPolicies, es, stranger(PIPELINE_NS), 9200)).toBe(true);
    });
  });

  test('options reach the parts: replicas, input port, index, collector namespace from its chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'search', { namespace: 'search' });
    const agents = new Chart(app, 'agents', { namespace: 'agents' });
    const p = new LogPipeline(chart, 'cluster-logs', {
      collectorScope: agents, name: 'app-logs',
      logstash: { replicas: 3, inputPort: 9880, index: 'apps-%{+YYYY.MM.dd}' },
      elasticsearch: { replicas: 5 },
    });
    const ms = [...testing.Harness.synthValid(chart, { restricted: true, production: true }), ...testing.Harness.synthValid(agents, { production: true })];
    expect(p.collectorNamespaceName).toBe('agents');
    expect(findManifest(ms, 'Deployment', 'app-logs-logstash').spec.replicas).toBe(3);
    expect(findManifest(ms, 'StatefulSet', 'app-logs-es').spec.replicas).toBe(5);
    expect(findManifest(ms, 'ConfigMap', 'app-logs-logstash-pipeline').data['logstash.conf']).toContain('index                       => "apps-%{+YYYY.MM.dd}"');
    const collectorPod = podOf(ms, 'DaemonSet', 'app-logs-collector');
    expect(collectorPod.namespace).toBe('agents');
    expect(admits(ms, podOf(ms, 'Deployment', 'app-logs-logstash'), collectorPod, 9880)).toBe(true);
    expect(admits(ms, podOf(ms, 'Deployment', 'app-logs-logstash'), collectorPod, 8080)).toBe(false);
    expect(Object.values(findManifest(ms, 'ConfigMap', 'app-logs-collector-config').data as Record<string, string>)[0]).toMatch(/^\s+Host\s+app-logs-logstash\.search\.svc\.cluster\.local$/m);
  });

  test('escape hatch: the parts are the families\' constructs, patchable with the cdk8s API', () => {
    const parts = pipelineCharts();
    ApiObject.of(parts.pipeline.logstash.deployment).addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations/team', 'observability'));
    parts.pipeline.elasticsearch.statefulSet.metadata.addAnnotation('owner', 'search');
    const ms = testing.Harness.synthValid(parts.chart, { restricted: true, production: true });
    expect(findManifest(ms, 'Deployment', 'logs-logstash').spec.template.metadata.annotations.team).toBe('observability');
    expect(findManifest(ms, 'StatefulSet', 'logs-es').metadata.annotations.owner).toBe('search');
  });

  describe('bad input', () => {
    const charts = () => {
      const app = Testing.app();
      return { chart: new Chart(app, 'logs', { namespace: 'logs' }), other: new Chart(app, 'logging', { namespace: 'logging' }), app };
    };
    test('an unknown prop names the closest one', () => {
      const { chart, other } = charts();
      expect(() => new LogPipeline(chart, 'p', { collectorScope: other, logstsh: {} } as any)).toThrow(/p: logstsh is not a prop of LogPipelineProps.*Did you mean `logstash`/s);
    });
    test('an unknown Logstash option', () => {
      const { chart, other } = charts();
      expect(() => new LogPipeline(chart, 'p', { collectorScope: other, logstash: { replica: 2 } } as any)).toThrow(/replica is not a prop of LogPipelineLogstashOptions.*`replicas`/s);
    });
    test('collectorScope is required', () => {
      const { chart } = charts();
      expect(() => new LogPipeline(chart, 'p', {} as any)).toThrow(/p: collectorScope must be a construct \(got nothing\).*Pass a Chart for the privileged collector namespace/s);
    });
    test('a chart without a namespace', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'logs');
      expect(() => new LogPipeline(chart, 'p', { collectorScope: new Chart(app, 'c', { namespace: 'logging' }) })).toThrow(/scope is in a Chart without a namespace.*new Chart\(app, "logs", \{ namespace: "logs" \}\)/s);
    });
    test('the collector in the pipeline\'s (restricted) namespace', () => {
      const { chart, app } = charts();
      expect(() => new LogPipeline(chart, 'p', { collectorScope: new Chart(app, 'c', { namespace: 'logs' }) })).toThrow(/collector.namespaceName is the pipeline's namespace.*\(got "logs"\).*namespace of its own/s);
    });
    test('errors of the parts come from the families, naming the part', () => {
      const { chart, other } = charts();
      expect(() => new LogPipeline(chart, 'p', { collectorScope: other, logstash: { inputPort: 80 } })).toThrow(/p\/p-logstash: pipeline.inputs\[0\].port must be an integer in 1024-65535/);
    });
  });
});

