export * from './chain-client';
export * from './chain-deployment';
export * from './chain-identifiers';
export * from './event-merkle-tree';
export * from './chain-errors';
export * from './chain-reader';
export * from './keccak';
export * from './state-map';
