export * from './pack-state';
export * from './supply-chain-engine';
export * from './supply-chain.rules';
export * from './custody-authority';
