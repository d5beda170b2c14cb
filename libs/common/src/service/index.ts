export * from './bootstrap-service';
export * from './cluster';
