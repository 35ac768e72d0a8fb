export * from './postgres-cluster';
export * from './postgres-engine';
export * from './settings';
