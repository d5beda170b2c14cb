export * from './bootstrap-service';
export * from './cluster';
export * from './primary-calls';
