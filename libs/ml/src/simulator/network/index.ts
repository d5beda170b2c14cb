export * from './network.types';
export * from './network.presets';
export * from './network-simulator';
export * from './scenario-output';
export * from './geography';
export * from './scan-codes';
