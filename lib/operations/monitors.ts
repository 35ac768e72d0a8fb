/**
 * PodMonitors (monitoring.coreos.com/v1) for the metrics endpoints the library runs: a database's
 * exporter sidecar (`metrics: true`) and every node agent (node-exporter, the log collector).
 * prometheus-operator ignores the `prometheus.io/*` annotations the pods also carry.
 *
 * PodMonitors rather than ServiceMonitors: the targets are pods the library already selects by
 * stable labels, and no Service would exist only to be scraped (node-exporter runs in the host
 * network; a database's client Services should not expose the exporter port). The endpoint is
 * the pod's scrape annotation, resolved to its named container port. Targets carry `namespace`,
 * `pod` and `container`, which the exporter alerts match on.
 *
 * Plain ApiObjects, like the PrometheusRules: no runtime dependency. `Monitoring.addTo` puts the
 * rules and monitors of a chart into the chart itself or into a separate chart (its own file).
 */
import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ReplicatedDatabase } from '../databases/replicated-database';
import { NodeAgent } from '../node-agents/node-agent';
import { AlertOptions, Alerts } from './alerts';
import { manifestOf, namespaceOf } from './inspect';

/** Options of every `Monitors` factory. */
export interface MonitorOptions {
  /**
   * Labels on the PodMonitor object: kube-prometheus-stack selects monitors by `release`
   * (e.g. `{ release: 'kube-prometheus-stack' }`).
   * @default - none
   */
  readonly monitorLabels?: { [key: string]: string };
  /**
   * How often Prometheus scrapes the endpoint.
   * @default - Prometheus' global scrape interval
   */
  readonly interval?: Duration;
}

/** The scrape endpoint of one library construct, emitted as a PodMonitor on request. */
export class Monitors {
  /** A database's exporter sidecar; undefined when it runs none (`metrics` off). */
  public static forDatabase(database: ReplicatedDatabase, options: MonitorOptions = {}): Monitors | undefined {
    if (!database.metricsContainer) return undefined;
    return new Monitors(database, database.name, database.statefulSet, database.selectorLabels, false, options);
  }

  /** A node agent: one target per node; the target also gets the node's name as label `node`. */
  public static forDaemon(agent: NodeAgent, options: MonitorOptions = {}): Monitors {
    return new Monitors(agent, agent.name, agent.daemonSet, agent.selectorLabels, true, options);
  }

  /** The monitors of every library construct under `scope` that serves metrics. */
  public static of(scope: IConstruct, options: MonitorOptions = {}): Monitors[] {
    return scope.node.findAll().flatMap((c): Monitors[] => {
      if (c instanceof ReplicatedDatabase) return c.metricsContainer ? [Monitors.forDatabase(c, options)!] : [];
      if (c instanceof NodeAgent) return [Monitors.forDaemon(c, options)];
      return [];
    });
  }

  /** The construct whose pods are scraped. */
  public readonly target: IConstruct;
  /** The workload's name; the PodMonitor is `<name>-metrics`. */
  public readonly name: string;
  /** The namespace of the pods (and of the PodMonitor); none when the chart sets none. */
  public readonly namespaceName?: string;
  /** The pod labels the PodMonitor selects. */
  public readonly selectorLabels: { [key: string]: string };
  /** The named container port scraped. */
  public readonly portName: string;
  /** The metrics path. */
  public readonly path: string;
  private readonly perNode: boolean;
  private readonly options: MonitorOptions;

  private constructor(target: IConstruct, name: string, workload: IConstruct, selectorLabels: Record<string, string>, perNode: boolean, options: MonitorOptions) {
    this.target = target;
    this.name = name;
    this.namespaceName = namespaceOf(workload);
    this.selectorLabels = selectorLabels;
    this.perNode = perNode;
    this.options = options;
    const template = manifestOf(workload).spec.template;
    const annotations: Record<string, string> = template.metadata?.annotations ?? {};
    const port = Number(annotations['prometheus.io/port']);
    const named = (template.spec.containers as any[]).flatMap((c) => c.ports ?? []).find((p) => p.containerPort === port);
    if (!named?.name) throw new Error(`${target.node.path}: no named container port ${annotations['prometheus.io/port']} for its prometheus.io/port annotation`);
    this.portName = named.name;
    this.path = annotations['prometheus.io/path'] ?? '/metrics';
  }

  /** The PodMonitor name: `<name>-metrics`. */
  public get monitorName(): string {
    return `${this.name}-metrics`;
  }

  /** The PodMonitor `spec`. */
  public toSpec(): any {
    const interval = this.options.interval ? `${this.options.interval.toSeconds()}s` : undefined;
    return {
      selector: { matchLabels: { ...this.selectorLabels } },
      podMetricsEndpoints: [{
        port: this.portName,
        path: this.path,
        ...(interval ? { interval } : {}),
        ...(this.perNode ? { relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }] } : {}),
      }],
    };
  }

  /** Adds the PodMonitor to `scope` (in the pods' namespace) and returns it. */
  public addPodMonitor(scope: Construct, id?: string): ApiObject {
    return new ApiObject(scope, id ?? this.monitorName, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        name: this.monitorName,
        ...(this.namespaceName ? { namespace: this.namespaceName } : {}),
        labels: { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'monitoring', ...(this.options.monitorLabels ?? {}) },
      },
      spec: this.toSpec(),
    });
  }
}

/** Options of `Monitoring.addTo`. */
export interface MonitoringOptions {
  /**
   * The alerts' options (rule labels, runbook URL, thresholds).
   * @default - Alerts defaults
   */
  readonly alerts?: AlertOptions;
  /**
   * The monitors' options (labels, interval).
   * @default - Monitors defaults
   */
  readonly monitors?: MonitorOptions;
}

/**
 * Every PrometheusRule and PodMonitor of a chart in one call. The target decides where they go:
 * the chart itself (one manifest; a cluster without the prometheus-operator CRDs rejects it with
 * "no matches for kind"), or a separate chart, synthesized to its own file and applied once the
 * operator is installed.
 */
export class Monitoring {
  /**
   * Adds the PrometheusRules (`Alerts.of(source)`) and PodMonitors (`Monitors.of(source)`) of
   * the library constructs under `source` to `target`, rules first.
   * @returns the objects added
   */
  public static addTo(source: IConstruct, target: Construct, options: MonitoringOptions = {}): ApiObject[] {
    const alerts = Alerts.of(source, options.alerts);
    const monitors = Monitors.of(source, options.monitors);
    return [...alerts.map((a) => a.addPrometheusRule(target)), ...monitors.map((m) => m.addPodMonitor(target))];
  }

  private constructor() {}
}
