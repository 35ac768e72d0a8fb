export * from './job-pattern';
export * from './failure-policy';
export * from './batch-job';
export * from './migration-job';
export { WAIT_FOR_TCP_SCRIPT } from './wait-for-tcp';
export { kubernetesVariableReferences, expandKubernetesVariables, validateVariableReferences } from './env-refs';
export { longestPodName } from './job-settings';
