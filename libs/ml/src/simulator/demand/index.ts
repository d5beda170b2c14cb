export * from './demand.types';
export * from './demand.generator';
export * from './demand.presets';
