export * from './cbv-vocabulary';
