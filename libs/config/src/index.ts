export * from './bench-config';
export * from './config.error';
export * from './config.module';
export * from './env-variable.decorator';
export * from './inherited-env.reader';
export * from './load-bench-config';
export * from './load-config';
export * from './pedigree-config';
