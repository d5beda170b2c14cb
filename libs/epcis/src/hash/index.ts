export * from './event-hash';
export type { JsonLdContextValue } from './json-ld-context';
