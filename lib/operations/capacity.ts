/**
 * Capacity of any chart, read from its manifests: requests and limits per namespace
 * (StatefulSets and Deployments x replicas, DaemonSets x a node count, Jobs x parallelism,
 * CronJobs x their worst-case overlap under the concurrency policy) and claim storage per
 * storage class (volumeClaimTemplates x replicas, plus standalone claims).
 */
import { Chart } from 'cdk8s';

/** Options of `Capacity.of`. */
export interface CapacityOptions {
  /**
   * Nodes a DaemonSet runs on (one pod each).
   * @default 3
   */
  readonly nodeCount?: number;
}

/** One workload's share: its pod's requests and limits times how many pods can run at once. */
export interface WorkloadCapacity {
  /** Kubernetes kind. */
  readonly kind: string;
  /** metadata.name. */
  readonly name: string;
  /** How many pods run at once at worst. */
  readonly pods: number;
  /** Why that many, e.g. `3 replicas` or `1 run at a time (Forbid)`. */
  readonly why: string;
  /** CPU requested by all those pods, in millicores. */
  readonly cpuRequestMillis: number;
  /** CPU limit of all those pods, in millicores. */
  readonly cpuLimitMillis: number;
  /** Memory requested, in bytes. */
  readonly memoryRequestBytes: number;
  /** Memory limit, in bytes. */
  readonly memoryLimitBytes: number;
}

/** The capacity of one namespace. */
export interface NamespaceCapacity {
  /** The namespace (`default` when the manifest sets none). */
  readonly namespaceName: string;
  /** The workloads, in manifest order. */
  readonly workloads: WorkloadCapacity[];
  /** Claimed storage in bytes per storage class (`(default)` for none). */
  readonly storageBytes: { [storageClass: string]: number };
}

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

function bytes(q: unknown): number {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q ?? '0'));
  return m ? Number(m[1]) * (UNITS[m[2]] ?? 1) : 0;
}
function millis(q: unknown): number {
  const text = String(q ?? '0');
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}
function formatBytes(n: number): string {
  for (const [unit, size] of [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2]] as const) if (n >= size) return `${+(n / size).toFixed(2)}${unit}`;
  return `${n}`;
}
const formatCpu = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : `${m}m`);

/** Requests and limits of a pod template's containers (init containers run before, not alongside). */
function podResources(podSpec: any) {
  const containers: any[] = podSpec?.containers ?? [];
  const sum = (f: (r: any) => number) => containers.reduce((acc, c) => acc + f(c.resources ?? {}), 0);
  return {
    cpuRequest: sum((r) => millis(r.requests?.cpu)), cpuLimit: sum((r) => millis(r.limits?.cpu)),
    memoryRequest: sum((r) => bytes(r.requests?.memory)), memoryLimit: sum((r) => bytes(r.limits?.memory)),
  };
}

function cronOverlap(spec: any): [number, string] {
  const policy = spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid') return [1, '1 run at a time (Forbid)'];
  if (policy === 'Replace') return [1, '1 run at a time (Replace stops the previous run)'];
  return [2, 'Allow: runs can overlap; counted as 2, bound it with concurrencyPolicy Forbid'];
}

/** The most replicas a HorizontalPodAutoscaler may give each workload it targets (key: namespace|kind|name). */
function autoscaledMaxima(manifests: any[]): Map<string, number> {
  return new Map(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')
    .map((h) => [`${h.metadata?.namespace ?? 'default'}|${h.spec?.scaleTargetRef?.kind}|${h.spec?.scaleTargetRef?.name}`, h.spec?.maxReplicas ?? 1]));
}

function podsOf(m: any, nodeCount: number, autoscaled?: number): [number, string, any] | undefined {
  const spec = m.spec ?? {};
  // An autoscaled workload has no replicas in its spec: size it for the autoscaler's maximum.
  if (autoscaled !== undefined && (m.kind === 'Deployment' || m.kind === 'StatefulSet')) return [autoscaled, `up to ${autoscaled} replicas (HorizontalPodAutoscaler)`, spec.template?.spec];
  switch (m.kind) {
    case 'StatefulSet':
    case 'Deployment': return [spec.replicas ?? 1, `${spec.replicas ?? 1} replicas`, spec.template?.spec];
    case 'DaemonSet': return [nodeCount, `one per node x ${nodeCount} nodes`, spec.template?.spec];
    case 'Job': return [spec.parallelism ?? 1, `parallelism ${spec.parallelism ?? 1}`, spec.template?.spec];
    case 'CronJob': {
      const job = spec.jobTemplate?.spec ?? {};
      const [runs, why] = cronOverlap(spec);
      return [runs * (job.parallelism ?? 1), `${why}, parallelism ${job.parallelism ?? 1}`, job.template?.spec];
    }
    default: return undefined;
  }
}

/** The capacity report of a chart. */
export class Capacity {
  /** Reads the chart's manifests (call after every construct is added). */
  public static of(chart: Chart, options: CapacityOptions = {}): Capacity {
    return new Capacity(chart.toJson(), options.nodeCount ?? 3);
  }

  /** Per namespace, in order of first appearance. */
  public readonly namespaces: NamespaceCapacity[];
  /** The node count DaemonSets were multiplied by. */
  public readonly nodeCount: number;

  private constructor(manifests: any[], nodeCount: number) {
    this.nodeCount = nodeCount;
    const byNs = new Map<string, { workloads: WorkloadCapacity[]; storageBytes: Record<string, number> }>();
    const entry = (ns: string) => byNs.get(ns) ?? byNs.set(ns, { workloads: [], storageBytes: {} }).get(ns)!;
    const claim = (ns: string, c: any, count: number) => {
      const cls = c.spec?.storageClassName ?? '(default)';
      const e = entry(ns);
      e.storageBytes[cls] = (e.storageBytes[cls] ?? 0) + count * bytes(c.spec?.resources?.requests?.storage);
    };
    const maxima = autoscaledMaxima(manifests);
    for (const m of manifests) {
      const ns = m.metadata?.namespace ?? 'default';
      if (m.kind === 'PersistentVolumeClaim') claim(ns, m, 1);
      const pods = podsOf(m, nodeCount, maxima.get(`${ns}|${m.kind}|${m.metadata?.name}`));
      if (!pods) continue;
      const [n, why, podSpec] = pods;
      const r = podResources(podSpec);
      entry(ns).workloads.push({
        kind: m.kind, name: m.metadata?.name, pods: n, why,
        cpuRequestMillis: n * r.cpuRequest, cpuLimitMillis: n * r.cpuLimit, memoryRequestBytes: n * r.memoryRequest, memoryLimitBytes: n * r.memoryLimit,
      });
      if (m.kind === 'StatefulSet') for (const t of m.spec?.volumeClaimTemplates ?? []) claim(ns, t, n);
    }
    this.namespaces = [...byNs].map(([namespaceName, e]) => ({ namespaceName, ...e }));
  }

  /** Totals and workloads per namespace, as plain JSON (quantities formatted and raw). */
  public toJson(): any {
    return {
      nodeCount: this.nodeCount,
      namespaces: this.namespaces.map((ns) => {
        const total = (f: (w: WorkloadCapacity) => number) => ns.workloads.reduce((a, w) => a + f(w), 0);
        return {
          namespace: ns.namespaceName,
          requests: { cpu: formatCpu(total((w) => w.cpuRequestMillis)), memory: formatBytes(total((w) => w.memoryRequestBytes)) },
          limits: { cpu: formatCpu(total((w) => w.cpuLimitMillis)), memory: formatBytes(total((w) => w.memoryLimitBytes)) },
          storage: Object.fromEntries(Object.entries(ns.storageBytes).map(([k, v]) => [k, formatBytes(v)])),
          workloads: ns.workloads,
        };
      }),
    };
  }

  /** A Markdown table per namespace. */
  public toMarkdown(): string {
    const lines: string[] = [];
    for (const ns of this.toJson().namespaces) {
      lines.push(`**Namespace \`${ns.namespace}\`**: requests ${ns.requests.cpu} CPU / ${ns.requests.memory}, limits ${ns.limits.cpu} CPU / ${ns.limits.memory}`
        + (Object.keys(ns.storage).length ? `; storage ${Object.entries(ns.storage).map(([k, v]) => `${v} (${k})`).join(', ')}` : ''), '');
      lines.push('| Workload | Pods at once | Why | CPU request | CPU limit | Memory request | Memory limit |', '|---|---|---|---|---|---|---|');
      for (const w of ns.workloads as WorkloadCapacity[]) {
        lines.push(`| ${w.kind}/${w.name} | ${w.pods} | ${w.why} | ${formatCpu(w.cpuRequestMillis)} | ${formatCpu(w.cpuLimitMillis)} | ${formatBytes(w.memoryRequestBytes)} | ${formatBytes(w.memoryLimitBytes)} |`);
      }
      lines.push('');
    }
    return lines.join('\n');
  }
}
