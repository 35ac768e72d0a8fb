/**
 * Node agents: Fluent Bit shipping every container's logs to Elasticsearch, and a Prometheus
 * node-exporter, each on every node. Both need privileged namespaces (host paths, host network),
 * which the constructs emit with the Pod Security labels.
 */
import * as kplus from 'cdk8s-plus-27';
import { App, Chart } from 'cdk8s';
import { ElasticsearchIndex, ElasticsearchScheme, LogCollectorDaemon, NodeExporterDaemon } from '../lib';

export function nodeAgentExamples(app: App): void {
  const chart = new Chart(app, 'node-agents');

  new LogCollectorDaemon(chart, 'fluent-bit', {
    namespaceName: 'logging',
    createNamespace: true,
    elasticsearch: {
      // Elasticsearch runs in a namespace of its own: logging is privileged (host paths), and
      // nothing but the agents should run there.
      host: 'elasticsearch.search.svc.cluster.local',
      port: 9200,
      scheme: ElasticsearchScheme.HTTPS,
      index: ElasticsearchIndex.logstash('kubernetes'),
      // Referenced by name: the password never appears in the YAML.
      credentials: { secret: kplus.Secret.fromSecretName(chart, 'es-credentials', 'es-credentials') },
    },
  });

  new NodeExporterDaemon(chart, 'node-exporter', {
    namespaceName: 'monitoring',
    createNamespace: true,
  });
}
