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
export * from './databases';
export * from './batch';
export * from './node-agents';
export * from './scheduled';

// The test harness (needs kubernetes-models, a dev dependency of your app).
export * as testing from './testing';
