export * from './common.error';
export * from './pedigree.error';
