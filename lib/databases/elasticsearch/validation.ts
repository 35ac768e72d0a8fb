import * as kplus from 'cdk8s-plus-27';
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { ConfigurationError } from '../../errors';
import { presetResources, ResourcePreset } from '../../defaults/resources';
import { checkEnum, checkType, PropType } from '../../defaults/props';
import { ElasticsearchFlavor } from './flavor';
import { MmapMode } from './mmap';
import { renderSettings } from './settings';
import type { ElasticsearchClusterProps } from './elasticsearch-cluster';
import { ClusterHealthStatus } from './health';

/** Elastic: keep the heap below ~26 GiB so compressed object pointers stay zero-based. */
const MAX_HEAP = Size.gibibytes(26);

/** The cluster's own props with every default applied. */
export interface ResolvedElasticsearchProps {
  readonly flavor: ElasticsearchFlavor;
  readonly mmap: MmapMode;
  readonly replicas: number;
  readonly readinessStatus: ClusterHealthStatus;
  readonly nodesDn: string[];
  readonly settings: Record<string, string>;
  readonly heap?: Size;
}

/** Validates the props ElasticsearchCluster adds (and the base props it constrains), before the base runs. */
export function resolveElasticsearchProps(where: string, name: string, props: ElasticsearchClusterProps): ResolvedElasticsearchProps {
  const flavor = props.flavor ?? ElasticsearchFlavor.elasticsearch();
  if (!(flavor instanceof ElasticsearchFlavor)) {
    throw new ConfigurationError(where, 'flavor', 'must be an ElasticsearchFlavor', flavor, 'Use ElasticsearchFlavor.elasticsearch() or ElasticsearchFlavor.openSearch().');
  }
  const mmap = props.mmap ?? MmapMode.disabled();
  if (!(mmap instanceof MmapMode)) {
    throw new ConfigurationError(where, 'mmap', 'must be a MmapMode', mmap, 'Use MmapMode.disabled() (restricted Pod Security) or MmapMode.nodeTuning({...}) on nodes with vm.max_map_count >= 262144.');
  }
  checkType(where, 'replicas', props.replicas, PropType.NUMBER);
  const replicas = props.replicas ?? 3;
  checkEnum(where, 'readinessStatus', props.readinessStatus, ClusterHealthStatus, 'ClusterHealthStatus');
  if (props.podManagementPolicy === kplus.PodManagementPolicy.ORDERED_READY) {
    throw new ConfigurationError(where, 'podManagementPolicy', 'cannot be OrderedReady: the first node would wait for a quorum of master nodes that are never started', props.podManagementPolicy,
      'Leave it out: ElasticsearchCluster starts its pods in parallel (PodManagementPolicy.PARALLEL).');
  }
  const nodesDn = resolveNodesDn(where, name, flavor, props.nodesDn);
  const settings = resolveSettings(where, flavor, props.settings);
  const resources = props.resources ?? presetResources(props.resourcePreset ?? ResourcePreset.MEDIUM);
  const limit = resources.memory?.limit?.toMebibytes();
  if (limit === undefined) {
    throw new ConfigurationError(where, 'resources.memory.limit', 'must be set: the heap is sized from it (Elasticsearch 7.11+ by itself, OpenSearch here at half of it)', undefined,
      'Set memory.limit, e.g. Size.gibibytes(4) (about 2Gi of heap).');
  }
  if (props.heap !== undefined) checkHeap(where, props.heap, limit);
  return {
    flavor, mmap, replicas, nodesDn, settings, heap: props.heap,
    readinessStatus: props.readinessStatus ?? (replicas > 1 ? ClusterHealthStatus.GREEN : ClusterHealthStatus.YELLOW),
  };
}

function resolveNodesDn(where: string, name: string, flavor: ElasticsearchFlavor, nodesDn: string[] | undefined): string[] {
  if (nodesDn === undefined) return [`CN=${name}`];
  if (flavor.family !== 'opensearch') {
    throw new ConfigurationError(where, 'nodesDn', 'applies to OpenSearch only (plugins.security.nodes_dn)', nodesDn, 'Remove it, or use flavor: ElasticsearchFlavor.openSearch().');
  }
  if (!Array.isArray(nodesDn) || nodesDn.length === 0 || nodesDn.some((dn) => typeof dn !== 'string' || dn.trim() === '')) {
    throw new ConfigurationError(where, 'nodesDn', 'must list at least one distinguished name', nodesDn, `Use the subject of the node certificate, e.g. ["CN=${name}"].`);
  }
  return [...nodesDn];
}

function resolveSettings(where: string, flavor: ElasticsearchFlavor, settings: Record<string, string> | undefined): Record<string, string> {
  if (settings === undefined) return {};
  if (typeof settings !== 'object' || Array.isArray(settings) || settings === null) {
    throw new ConfigurationError(where, 'settings', 'must be an object of setting names and string values', settings, 'Pass e.g. { "indices.memory.index_buffer_size": "20%" }.');
  }
  const managed = Object.keys(renderSettingsKeys(flavor));
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'cluster.initial_master_nodes') {
      throw new ConfigurationError(where, `settings["${key}"]`, 'is managed by start.sh: it is set only while a new cluster bootstraps and must never be set again', value, 'Remove it.');
    }
    if (managed.includes(key)) {
      throw new ConfigurationError(where, `settings["${key}"]`, 'is set by ElasticsearchCluster', value, 'Remove it, or use the matching prop (mmap, nodesDn) where there is one.');
    }
    if (typeof value !== 'string') throw new ConfigurationError(where, `settings["${key}"]`, 'must be a string', value, 'Quote the value, e.g. "20%".');
  }
  return { ...settings };
}

function renderSettingsKeys(flavor: ElasticsearchFlavor): Record<string, true> {
  const rendered = renderSettings(flavor, { clusterName: 'x', headlessService: 'x', httpPort: 1, transportPort: 1, allowMmap: false, nodesDn: ['x'], extra: {} });
  return Object.fromEntries(rendered.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), true] as const));
}

function checkHeap(where: string, heap: Size, limit: number): void {
  checkType(where, 'heap', heap, PropType.SIZE);
  const mebibytes = heap.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes) || mebibytes < 256) {
    throw new ConfigurationError(where, 'heap', 'must be a whole number of MiB, at least 256Mi', `${heap.toKibibytes()}Ki`, 'Use Size.mebibytes() or Size.gibibytes(), e.g. Size.gibibytes(1).');
  }
  if (mebibytes >= MAX_HEAP.toMebibytes()) {
    throw new ConfigurationError(where, 'heap', 'must stay below 26Gi (above it the JVM loses zero-based compressed object pointers)', `${mebibytes}Mi`, 'Use at most Size.gibibytes(25) and run more nodes instead.');
  }
  if (mebibytes * 2 > limit) {
    throw new ConfigurationError(where, 'heap', `must be at most half the memory limit (${limit}Mi): the rest is the page cache Lucene reads through and off-heap memory`, `${mebibytes}Mi`,
      `Use Size.mebibytes(${Math.floor(limit / 2)}) or raise the memory limit to ${mebibytes * 2}Mi.`);
  }
}
