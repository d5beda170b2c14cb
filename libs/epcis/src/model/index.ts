export * from './epcis-event.model';
export * from './epcis-document.model';
export * from './epcis-document-context';
export * from './epcis-time.parser';
export * from './normalised-event.model';
export * from './event-normaliser';
export * from './master-data';
export * from './epc-format';
