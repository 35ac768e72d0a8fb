/**
 * How the cluster deals with `vm.max_map_count`. Elasticsearch and OpenSearch memory-map index
 * files and refuse to start in production mode when the node's `vm.max_map_count` is below
 * 262144. It is a node-wide sysctl: pods cannot set it (it is not a namespaced sysctl), and a
 * privileged init container that sets it fails the restricted Pod Security Standard.
 */
export class MmapMode {
  /**
   * `node.store.allow_mmap: false`: index files are read with NIO instead of mmap, so the
   * bootstrap check does not apply and the pods run under the restricted Pod Security Standard.
   * The cost: searches go through the page cache by system calls rather than mapped memory,
   * usually slower on large indices (Elastic recommends mmap for production).
   */
  public static disabled(): MmapMode {
    return new MmapMode(false, {});
  }

  /**
   * Keep mmap (`node.store.allow_mmap: true`), on nodes whose `vm.max_map_count` is at least
   * 262144. A precondition you meet outside this chart: the node image, a tuning operator, or a
   * privileged DaemonSet in a namespace labelled for the privileged Pod Security level. Label the
   * tuned nodes and pass the label here: the pods are scheduled only there.
   * @param nodeSelector the labels of the tuned nodes, e.g. `{ 'example.com/max-map-count': '262144' }`
   */
  public static nodeTuning(nodeSelector: { [key: string]: string } = {}): MmapMode {
    return new MmapMode(true, { ...nodeSelector });
  }

  private constructor(
    /** `node.store.allow_mmap`. */
    public readonly allowMmap: boolean,
    /** The node labels the pods require (empty: any node). */
    public readonly nodeSelector: { [key: string]: string },
  ) {}
}
