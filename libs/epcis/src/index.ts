export * from './model';
export * from './validation';
export * from './cbv';
export * from './hash';
export * from './builder';
export * from './xml';
