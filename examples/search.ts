/**
 * The Elasticsearch cluster the log collector in node-agents.ts ships to
 * (elasticsearch.search.svc.cluster.local:9200), in a restricted namespace of its own.
 * Secrets created outside the chart: `elasticsearch-credentials` (key `elastic-password`) and
 * `elasticsearch-certs` (`ca.crt`, `tls.crt`, `tls.key`, e.g. from a cert-manager Certificate).
 */
import { App, Chart, Size } from 'cdk8s';
import { ElasticsearchCluster, ElasticsearchFlavor, ResourcePreset } from '../lib';

export function searchExamples(app: App): void {
  const chart = new Chart(app, 'search', { namespace: 'search' });
  new ElasticsearchCluster(chart, 'elasticsearch', {
    replicas: 3,
    storage: Size.gibibytes(30),
    // 4Gi limit: Elasticsearch sizes its heap to about half of it.
    resourcePreset: ResourcePreset.LARGE,
  });
  // The same cluster as OpenSearch: its image, plugins.security settings and `admin-password`.
  new ElasticsearchCluster(chart, 'opensearch', { flavor: ElasticsearchFlavor.openSearch(), replicas: 3 });
}
