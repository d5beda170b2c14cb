export * from './pack-state';
export * from './supply-chain-engine';
export * from './supply-chain.rules';
export * from './custody-authority';
export * from './ingest/decoded-document';
export * from './ingest/member-directory';
export * from './ingest/epcis-document.reader';
export * from './ingest/document-planner';
