export * from './random';
export * from './tf';
export * from './simulator/demand';
export * from './forecasting';
export * from './simulator/network';
export * from './anomaly';
export * from './evaluation';
export * from './access/harvesting-detector';
