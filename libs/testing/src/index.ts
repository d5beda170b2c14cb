export * from './infrastructure';
export * from './repo-paths';
export * from './test-context';
export * from './service-process';
export * from './helpers';
export * from './hardhat-node';
export * from './private-infrastructure';
export * from './event-rows';
