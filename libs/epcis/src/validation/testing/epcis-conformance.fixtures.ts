import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Test access to the shared, read-only conformance data next to the checkout (`<repo>/../shared/conformance`).
 * Read in place, never copied into the project; paths are relative to the repository root.
 */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
export const CONFORMANCE_DIR = resolve(REPO_ROOT, '..', 'shared', 'conformance');
export const EPCIS_SCHEMA_PATH = join(CONFORMANCE_DIR, 'epcis', 'EPCIS-JSON-Schema.json');
export const EPCIS_EXAMPLES_DIR = join(CONFORMANCE_DIR, 'epcis', 'examples');
export const EVENT_HASH_DIR = join(CONFORMANCE_DIR, 'event-hash');

export interface ConformanceFile {
  name: string;
  text: string;
}

export function loadEpcisSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(EPCIS_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

function jsonLdFiles(dir: string): ConformanceFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonld'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export function loadEpcisExamples(): ConformanceFile[] {
  return jsonLdFiles(EPCIS_EXAMPLES_DIR);
}

export function loadEventHashDocuments(): ConformanceFile[] {
  return jsonLdFiles(EVENT_HASH_DIR);
}

/** Tests reach into fixtures and mutate them freely; typing every path would bury what they test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MutableJson = Record<string, any>;

/** A fresh, mutable copy of one official example. */
export function example(name: string): MutableJson {
  return JSON.parse(readFileSync(join(EPCIS_EXAMPLES_DIR, name), 'utf8')) as MutableJson;
}
