// Internal barrel of the defaults (the families import from here); lib/index.ts chooses what is public.
export * from './labels';
export * from './resources';
export * from './security';
export * from './probes';
export * from './disruption';
export * from './network';
export * from './spread';
export * from './container';
export * from './monitoring';
