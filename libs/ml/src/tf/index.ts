export * from './tf-runtime';
