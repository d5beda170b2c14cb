export * from './problem-details';
export * from './problem-details.filter';
export * from './validation.pipe';
export * from './parse-uuid.pipe';
export * from './query-transforms';
