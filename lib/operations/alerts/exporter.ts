/** The exporter-down alert every database exporter gets: not scraped, or up but not connected. */
import { promSelector } from '../inspect';
import { AlertRule, AlertSeverity, rule } from './types';

/** What differs between the engines' exporter-down alerts. */
export interface ExporterFacts {
  /** The alert name prefix, e.g. `Postgres` gives `PostgresExporterDown`. */
  readonly prefix: string;
  /** The exporter's own "connected to the server" gauge, e.g. `pg_up`. */
  readonly upMetric: string;
  /** The exporter and server names for the text. */
  readonly exporter: string;
  readonly server: string;
}

/** `up` of the `metrics` container (PodMonitor targets carry `container`) or the exporter's own up gauge at 0. */
export function exporterDown(sts: string, ns: string | undefined, facts: ExporterFacts): AlertRule {
  const pods = promSelector({ namespace: ns }, { pod: `${sts}-[0-9]+` });
  return rule({
    alert: `${facts.prefix}ExporterDown`,
    expr: `up${promSelector({ namespace: ns, container: 'metrics' }, { pod: `${sts}-[0-9]+` })} == 0 or ${facts.upMetric}${pods} == 0`,
    forDuration: '5m',
    severity: AlertSeverity.WARNING,
    summary: `${facts.server} metrics of {{ $labels.namespace }}/{{ $labels.pod }} are missing.`,
    description: `The ${facts.exporter} sidecar of {{ $labels.pod }} cannot be scraped, or it cannot connect to ${facts.server} (${facts.upMetric} 0). Replication alerts are blind meanwhile.`,
    firstSteps: ['Read the `metrics` container\'s logs.', `Check that ${facts.server} accepts local connections in that pod.`],
  });
}

/** The pods of a StatefulSet except ordinal 0 (the replicas). */
export function replicaPods(sts: string): string {
  return `${sts}-[1-9][0-9]*`;
}
