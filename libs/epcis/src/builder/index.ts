export * from './epcis-document.builder';
export * from './gs1-keys';
