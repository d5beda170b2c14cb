export * from './pipeline-runner';
export * from './anomaly-metrics';
export * from './anomaly-eval';
