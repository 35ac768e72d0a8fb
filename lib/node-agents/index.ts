/**
 * The node-agents family's public API, listed by name: the constructs, their props, and the value
 * objects and enums the props take. Renderers, resolvers, defaults and env names stay internal.
 */
export { NodeAgent, PodSecurityLevel } from './node-agent';
export type { INodeAgentExtension, NodeAgentProps, NodeAgentSpec } from './node-agent';
export type { HostPathMount } from './host';
export { NodeAffinity, NodeExpression, TaintEffect, TaintTolerance, TolerationOperator } from './scheduling';
export type { NodeToleration } from './scheduling';
export { AgentUpdateStrategy, NodeCount } from './update-strategy';
export type { RollingUpdateOptions } from './update-strategy';

export { LogCollectorDaemon } from './log-collector';
export type { LogCollectorDaemonProps } from './log-collector';
export { LogAgent } from './log-agent';
export type { FluentBitOptions, FluentdOptions } from './log-agent';
export { ContainerLogFormat } from './fluent-bit-config';
export type { FluentBitEntry, FluentBitSection } from './fluent-bit-config';
export { ElasticsearchIndex, ElasticsearchScheme } from './elasticsearch';
export type { ElasticsearchCredentials, ElasticsearchOutput, ResolvedElasticsearch, ResolvedElasticsearchCredentials } from './elasticsearch';

export { NodeExporterDaemon } from './node-exporter';
export type { NodeExporterDaemonProps } from './node-exporter';
