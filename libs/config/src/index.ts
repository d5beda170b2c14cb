export * from './config.error';
export * from './config.module';
export * from './env-variable.decorator';
export * from './load-config';
export * from './pedigree-config';
