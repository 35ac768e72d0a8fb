export * from './engine';
export * from './replicated-database';
export * from './validation';
export * from './postgres';
export * from './mysql';
export * from './redis';
