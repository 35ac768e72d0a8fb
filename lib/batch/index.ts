export { JobPattern, JobPatternKind } from './job-pattern';
export type { FixedCompletionsOptions, IndexedJobOptions, WorkQueueOptions } from './job-pattern';
export { ExitCodeOperator, PodFailureAction, PodFailurePolicy } from './failure-policy';
export type { ExitCodeRuleOptions, PodFailurePolicyContext } from './failure-policy';
export { JobRestartPolicy } from './job-builder';
export { BatchJob } from './batch-job';
export type { BatchJobProps, JobInitContainer, JobRunOptions } from './batch-job';
export { MigrationJob } from './migration-job';
export type { IDatabaseEndpoint, MigrationJobProps } from './migration-job';
