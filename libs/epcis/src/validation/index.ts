export * from './epcis-issue.types';
export * from './epcis-validation.error';
export * from './epcis-json-parser';
export * from './epcis-validator';
export * from './schema-deviations';
