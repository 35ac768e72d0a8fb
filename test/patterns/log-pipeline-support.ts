/**
 * The log pipeline's test charts. NetworkPolicy evaluation (with namespaces: the collector is in
 * another namespace than Logstash) is in test/support/network-policy.ts.
 */
import { Chart, Testing } from 'cdk8s';
import { LogPipeline, LogPipelineProps } from '../../lib';
export { admits, podOf, selects } from '../support/network-policy';
export type { PodRef } from '../support/network-policy';

export const PIPELINE_NS = 'logs';
export const COLLECTOR_NS = 'logging';

export function pipelineCharts(props: Partial<LogPipelineProps> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'logs', { namespace: PIPELINE_NS });
  const collectorChart = new Chart(app, 'logging', { namespace: COLLECTOR_NS });
  const pipeline = new LogPipeline(chart, 'logs', { collectorScope: collectorChart, collector: { createNamespace: true }, ...props });
  return { app, chart, collectorChart, pipeline };
}
