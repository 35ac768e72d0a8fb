/**
 * The log pipeline: Fluent Bit on every node (privileged namespace `log-agents`) ships to
 * Logstash, which writes to a 3-node Elasticsearch cluster (both in the restricted namespace
 * `observability`). Only these hops pass the NetworkPolicies.
 *
 * Secrets the manifests reference and you create in `observability`: `logs-es-credentials`
 * (`elastic-password`, and `username: elastic` for Logstash) and `logs-es-certs` (`ca.crt`,
 * `tls.crt`, `tls.key`, e.g. from cert-manager).
 */
import { App, Chart, Size } from 'cdk8s';
import { LogPipeline, LogstashPersistentQueue } from '../lib';

export function logPipelineExamples(app: App): LogPipeline {
  const chart = new Chart(app, 'log-pipeline', { namespace: 'observability' });
  const collectorChart = new Chart(app, 'log-pipeline-collector', { namespace: 'log-agents' });
  return new LogPipeline(chart, 'logs', {
    collectorScope: collectorChart,
    // The collector's namespace, labelled privileged (host paths); nothing else runs there.
    collector: { createNamespace: true },
    // Events are on disk before Logstash acknowledges them to the collector.
    logstash: { persistentQueue: LogstashPersistentQueue.emptyDir({ maxBytes: Size.gibibytes(2) }), index: 'kubernetes-%{+YYYY.MM.dd}' },
    elasticsearch: { replicas: 3, storage: Size.gibibytes(30) },
  });
}
