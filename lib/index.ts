/**
 * The public API, listed by name: everything else in lib/ is internal. jsii compiles this file's
 * exports for Python, Java and Go, so it holds classes, interfaces and enums only (jsii drops
 * functions and constants).
 */
export { Errors } from './errors';

// Building blocks: the production defaults, for composing your own workloads.
export { Labels, Policies, Resources, Security } from './defaults/building-blocks';
export { ResourcePreset } from './defaults/resources';
export type { ImageUser, WritablePath } from './defaults/security';
export type { WorkloadIdentity } from './defaults/labels';
export { ProbeHandler } from './defaults/probes';
export type { ProbeTimings } from './defaults/probes';
export { DisruptionBudget } from './defaults/disruption';
export type { DisruptionBudgetOptions } from './defaults/disruption';
export { NetworkPeer } from './defaults/network';
export type { NetworkPolicyOptions, TrafficRule } from './defaults/network';
export { PvcRetention } from './kube/stateful-set';
export { CompletionMode } from './kube/job';

// Families.
// databases/
export { DatabaseEngine } from './databases/engine';
export type { EngineContext, EngineInitContainer, EngineMetricsExporter, EngineProbes, EngineScript } from './databases/engine';
export type { EnginePort } from './databases/engine';
export { DatabaseTopology, PrimaryPlacement } from './databases/topology';
export type { LeaderElectionOptions } from './databases/topology';
export { ReplicatedDatabase } from './databases/replicated-database';
export type { ReplicatedDatabaseProps } from './databases/replicated-database';
export type { BackupScripts, IBackupable, IBackupSource } from './databases/backup-contract';
export { ClusterBackupSource } from './databases/cluster-backup-source';
export { PostgresCluster } from './databases/postgres/postgres-cluster';
export type { PostgresClusterProps } from './databases/postgres/postgres-cluster';
export { PostgresEngine } from './databases/postgres/postgres-engine';
export type { PostgresSettings } from './databases/postgres/settings';
export { PostgresBackupSource, PostgresDump, PostgresDumpFormat } from './databases/postgres/backup-source';
export type { PostgresBackupSourceOptions, PostgresDatabaseDumpOptions } from './databases/postgres/backup-source';
export { HighAvailability, PatroniImage } from './databases/postgres/patroni/high-availability';
export type { PatroniImageOptions, PatroniOptions } from './databases/postgres/patroni/high-availability';
export { PatroniEngine } from './databases/postgres/patroni/patroni-engine';
export { PatroniResources } from './databases/postgres/patroni/patroni-resources';
export { MySqlCluster } from './databases/mysql/mysql-cluster';
export type { MySqlClusterProps } from './databases/mysql/mysql-cluster';
export { MySqlEngine } from './databases/mysql/mysql-engine';
export { MySqlFlavor } from './databases/mysql/flavor';
export type { MySqlSettings } from './databases/mysql/settings';
export { MySqlBackupSource } from './databases/mysql/backup-source';
export type { MySqlBackupSourceOptions } from './databases/mysql/backup-source';
export { RedisCluster } from './databases/redis/redis-cluster';
export type { RedisClusterProps } from './databases/redis/redis-cluster';
export { RedisEngine } from './databases/redis/redis-engine';
export { RedisEvictionPolicy } from './databases/redis/settings';
export type { RedisSettings } from './databases/redis/settings';
export { RedisBackupSource } from './databases/redis/backup-source';
export type { RedisBackupSourceOptions } from './databases/redis/backup-source';
export { ElasticsearchCluster } from './databases/elasticsearch/elasticsearch-cluster';
export type { ElasticsearchClusterProps } from './databases/elasticsearch/elasticsearch-cluster';
export { ElasticsearchEngine } from './databases/elasticsearch/elasticsearch-engine';
export type { ElasticsearchEngineOptions } from './databases/elasticsearch/elasticsearch-engine';
export { ElasticsearchFlavor } from './databases/elasticsearch/flavor';
export { ClusterHealthStatus } from './databases/elasticsearch/health';
export { MmapMode } from './databases/elasticsearch/mmap';
// batch/
export { JobPattern, JobPatternKind } from './batch/job-pattern';
export type { FixedCompletionsOptions, IndexedJobOptions, WorkQueueOptions } from './batch/job-pattern';
export { ExitCodeOperator, PodFailureAction, PodFailurePolicy } from './batch/failure-policy';
export type { ExitCodeRuleOptions, PodFailurePolicyContext } from './batch/failure-policy';
export { JobRestartPolicy } from './batch/job-builder';
export { BatchJob } from './batch/batch-job';
export type { BatchJobProps, JobInitContainer, JobRunOptions } from './batch/batch-job';
export { MigrationJob } from './batch/migration-job';
export type { IDatabaseEndpoint, MigrationJobProps } from './batch/migration-job';
// node-agents/
export { NodeAgent, PodSecurityLevel } from './node-agents/node-agent';
export type { INodeAgentExtension, NodeAgentProps, NodeAgentSpec } from './node-agents/node-agent';
export type { HostPathMount } from './node-agents/host';
export { NodeAffinity, NodeExpression, TaintEffect, TaintTolerance, TolerationOperator } from './node-agents/scheduling';
export type { NodeToleration } from './node-agents/scheduling';
export { AgentUpdateStrategy, NodeCount } from './node-agents/update-strategy';
export type { RollingUpdateOptions } from './node-agents/update-strategy';
export { LogCollectorDaemon } from './node-agents/log-collector';
export type { LogCollectorDaemonProps } from './node-agents/log-collector';
export { LogAgent } from './node-agents/log-agent';
export type { FluentBitOptions, FluentdOptions } from './node-agents/log-agent';
export { ContainerLogFormat } from './node-agents/fluent-bit-config';
export type { FluentBitEntry, FluentBitSection } from './node-agents/fluent-bit-config';
export { ElasticsearchIndex, ElasticsearchScheme } from './node-agents/elasticsearch';
export type { ElasticsearchCredentials, ElasticsearchOutput, ResolvedElasticsearch, ResolvedElasticsearchCredentials } from './node-agents/elasticsearch';
export { CaCertificate, LogOutput, LogOutputKind } from './node-agents/log-output';
export type { ElasticsearchLogOutputOptions, HttpBasicCredentials, LogOutputTls, LogstashHttpOutputOptions } from './node-agents/log-output';
export { NodeExporterDaemon } from './node-agents/node-exporter';
export type { NodeExporterDaemonProps } from './node-agents/node-exporter';
// services/
export { StatelessWorkload } from './services/stateless-workload';
export type { StatelessWorkloadProps } from './services/stateless-workload';
export type { WorkloadPort, WorkloadProbes, WorkloadProbeTimings } from './services/workload-types';
export type { AutoscalingOptions } from './services/autoscaling';
export { Logstash } from './services/logstash/logstash';
export type { LogstashProps } from './services/logstash/logstash';
export { LogstashFilter, LogstashInput, LogstashOutput, LogstashPipeline } from './services/logstash/pipeline';
export type {
  BeatsInputOptions, HttpInputOptions, JsonFilterOptions, LogstashCaCertificate, LogstashCredentials, LogstashElasticsearchOptions,
  LogstashInputTls, LogstashPipelineProps,
} from './services/logstash/pipeline';
export { LogstashPersistentQueue } from './services/logstash/queue';
export type { PersistentQueueOptions } from './services/logstash/queue';
// scheduled/
export { BackupSchedule } from './scheduled/schedule';
export { BackupTarget, BackupTargetKind } from './scheduled/backup-target';
export type { PersistentVolumeTargetOptions, S3TargetOptions } from './scheduled/backup-target';
export { BackupCronJob } from './scheduled/backup-cron-job';
export type { BackupCronJobProps } from './scheduled/backup-cron-job';
export { RestoreJob } from './scheduled/restore-job';
export type { RestoreJobProps } from './scheduled/restore-job';

// The test harness (needs kubernetes-models, a dev dependency of your app).
export * as testing from './testing';
// operations/
export { Alerts, AlertSeverity } from './operations/alerts';
export type { AlertOptions, AlertRule } from './operations/alerts';
export { Capacity } from './operations/capacity';
export type { CapacityOptions, NamespaceCapacity, WorkloadCapacity } from './operations/capacity';
export { Monitoring, Monitors } from './operations/monitors';
export type { MonitorOptions, MonitoringOptions } from './operations/monitors';
export { Runbook } from './operations/runbook';
export type { RunbookOptions } from './operations/runbook';
export { Readiness } from './operations/readiness/readiness';
export type { ReadinessOptions } from './operations/readiness/readiness';
export { ReadinessReport } from './operations/readiness/report';
export type { ReadinessProblem, ReadinessSuppressedProblem } from './operations/readiness/report';
export { ReadinessRule, ReadinessSeverity } from './operations/readiness/rules';
export { ReadinessValidation } from './operations/readiness/plugin';
export type { ReadinessValidationProps } from './operations/readiness/plugin';

// patterns/
export { BlueGreenColor } from './patterns/blue-green/color';
export { BlueGreenDatabase } from './patterns/blue-green/blue-green-database';
export type { BlueGreenDatabaseProps } from './patterns/blue-green/blue-green-database';
export { MigrationStrategy, MigrationStrategyKind } from './patterns/blue-green/migration-strategy';
export type { DumpRestoreOptions, LogicalReplicationOptions } from './patterns/blue-green/migration-strategy';
export type { UserMigrationStep } from './patterns/blue-green/user-step';
export { HelmHookDeletePolicy, HelmHookEvent } from './patterns/blue-green/helm-hook';
export type { HelmHookOptions } from './patterns/blue-green/helm-hook';
export { LogPipeline } from './patterns/log-pipeline/log-pipeline';
export type { LogPipelineLogstashOptions, LogPipelineProps } from './patterns/log-pipeline/log-pipeline';
