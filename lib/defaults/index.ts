export * from './labels';
export * from './resources';
export * from './security';
export * from './probes';
export * from './disruption';
export * from './network';
export * from './spread';
export * from './container';
