export * from './batch-consumer';
export * from './kafka-client.factory';
export * from './kafka-producer';
export * from './payloads';
export * from './topic-admin';
export * from './topics';
export * from './document-origin';
export * from './member-accounts';
