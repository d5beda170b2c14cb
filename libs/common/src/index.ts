export * from './errors';
export * from './http';
export * from './logging';
export * from './service';
export * from './observability';
export * from './json/canonical-json';
export * from './model-card/model-card';
