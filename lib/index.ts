export * from './errors';
export * from './defaults';
export { PvcRetention, CompletionMode, VolumeClaimTemplate, ClaimMount } from './kube/patches';
export * as testing from './testing';
