/**
 * The server an ElasticsearchCluster runs: Elasticsearch 8 (the default) or OpenSearch 2. What
 * differs: image and paths, the settings file and its security keys (`xpack.security.*` or
 * `plugins.security.*`), the superuser, the Secret key of its password and how the heap is sized.
 */
export class ElasticsearchFlavor {
  /**
   * Elasticsearch 8 on Elastic's official image (uid 1000). The heap is sized from the memory
   * limit by the server itself (since 7.11), unless `heap` is set.
   */
  public static elasticsearch(image = 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3'): ElasticsearchFlavor {
    return new ElasticsearchFlavor('elasticsearch', image, '/usr/share/elasticsearch', 'elasticsearch.yml', ['/usr/local/bin/docker-entrypoint.sh', 'eswrapper'], 'ES_JAVA_OPTS', 'elastic', 'elastic-password', true);
  }

  /**
   * OpenSearch 2 on the opensearchproject image (uid 1000). Since 2.12 the image refuses to
   * start without `OPENSEARCH_INITIAL_ADMIN_PASSWORD`; it comes from the Secret key
   * `admin-password`. OpenSearch forked before heap auto-sizing (its jvm.options say 1g), so
   * the heap is set to half the memory limit unless `heap` is set.
   */
  public static openSearch(image = 'opensearchproject/opensearch:2.19.1'): ElasticsearchFlavor {
    return new ElasticsearchFlavor('opensearch', image, '/usr/share/opensearch', 'opensearch.yml', ['/usr/share/opensearch/opensearch-docker-entrypoint.sh'], 'OPENSEARCH_JAVA_OPTS', 'admin', 'admin-password', false);
  }

  private constructor(
    /** `elasticsearch` or `opensearch` (also `app.kubernetes.io/name`). */
    public readonly family: string,
    /** The pinned image. */
    public readonly image: string,
    /** The installation directory of the image. */
    public readonly home: string,
    /** The settings file in `<home>/config`. */
    public readonly settingsFile: string,
    /** The image's entrypoint, which start.sh runs. */
    public readonly entrypoint: string[],
    /** The environment variable of extra JVM options. */
    public readonly javaOptionsEnv: string,
    /** The built-in superuser the probes authenticate as. */
    public readonly superuser: string,
    /** The key of its password in the credentials Secret. */
    public readonly passwordKey: string,
    /** Whether the server sizes its heap from the container's memory limit by itself. */
    public readonly autoHeap: boolean,
  ) {}
}
