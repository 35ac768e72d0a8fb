export * from './settings';
export * from './redis-engine';
export * from './redis-cluster';
