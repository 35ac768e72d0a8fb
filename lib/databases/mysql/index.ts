export * from './flavor';
export * from './settings';
export * from './mysql-engine';
export * from './mysql-cluster';
