/**
 * Stateless services: a web application on StatelessWorkload (autoscaled on CPU), and Logstash
 * between the log collector and Elasticsearch, in a restricted namespace of its own. The
 * collector (examples/node-agents.ts) ships to it with
 * `output: LogOutput.logstash({ host: 'logstash.logs.svc.cluster.local', tls: {...}, credentials: {...} })`.
 */
import * as kplus from 'cdk8s-plus-27';
import { App, Chart, Size } from 'cdk8s';
import {
  Logstash, LogstashFilter, LogstashInput, LogstashOutput, LogstashPersistentQueue, LogstashPipeline, NetworkPeer, ProbeHandler, StatelessWorkload,
} from '../lib';

export function servicesExamples(app: App): void {
  const chart = new Chart(app, 'services', { namespace: 'logs' });

  // Secrets are referenced by name: the password and the CA never appear in the YAML.
  const credentials = kplus.Secret.fromSecretName(chart, 'es-credentials', 'logstash-es-credentials');
  const ca = kplus.Secret.fromSecretName(chart, 'es-ca', 'elasticsearch-ca');
  const inputTls = kplus.Secret.fromSecretName(chart, 'logstash-tls', 'logstash-tls');
  // What the collector authenticates with (its output: LogOutput.logstash({ credentials })).
  const inputAuth = kplus.Secret.fromSecretName(chart, 'input-auth', 'logstash-input-auth');

  new Logstash(chart, 'logstash', {
    pipeline: new LogstashPipeline({
      inputs: [LogstashInput.beats(), LogstashInput.http({ tls: { secret: inputTls }, credentials: { secret: inputAuth } })],
      filters: [LogstashFilter.json({ source: 'log', removeSource: true })],
      outputs: [LogstashOutput.elasticsearch({
        hosts: ['https://elasticsearch.search.svc.cluster.local:9200'],
        index: 'kubernetes-%{+YYYY.MM.dd}',
        credentials: { secret: credentials },
        caCertificate: { secret: ca },
      })],
    }),
    // Events are on disk before the inputs acknowledge them; drained before a pod goes away.
    persistentQueue: LogstashPersistentQueue.emptyDir({ maxBytes: Size.gibibytes(2) }),
    autoscaling: { minReplicas: 2, maxReplicas: 6 },
    // The log collector runs in the privileged `logging` namespace.
    allowFrom: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'fluent-bit' }, { 'kubernetes.io/metadata.name': 'logging' })],
  });

  new StatelessWorkload(chart, 'log-viewer', {
    image: 'nginxinc/nginx-unprivileged:1.27.3',
    // The image's USER (nginx, 101).
    user: { uid: 101, gid: 101 },
    ports: [{ name: 'http', port: 8080 }],
    probes: { readiness: ProbeHandler.http('/', 8080), liveness: ProbeHandler.tcp(8080) },
    writablePaths: [{ path: '/tmp', volumeName: 'tmp' }, { path: '/var/cache/nginx', volumeName: 'cache' }],
    replicas: 2,
  });
}
