export * from './errors';
export * from './defaults';
export { PvcRetention, CompletionMode } from './kube/patches';
export type { VolumeClaimTemplate, ClaimMount } from './kube/patches';
export * as testing from './testing';
export * from './databases';
export * from './batch';
export * from './node-agents';
export * from './scheduled';
