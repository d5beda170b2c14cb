import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Piscina from 'piscina';
import { type EpcisIssue, EpcisIssueCode } from '../validation/epcis-issue.types';

interface WorkerResult {
  valid: boolean;
  errors: { message: string; line: number }[];
}

/** The EPCIS 2.0 XSD that the validator loads (it imports its siblings: SBDH, EPCglobal base types). */
export const EPCIS_XSD_FILE = 'EPCglobal-epcis-2_0.xsd';
/** The EPCIS 2.0 master data XSD (EPCISMasterDataDocument); optional: without it such documents are not checked. */
export const EPCIS_MASTER_DATA_XSD_FILE = 'EPCglobal-epcis-masterdata-2_0.xsd';

const EVENTS_NAMESPACE = 'urn:epcglobal:epcis:xsd:2';
/** Root element namespace → the XSD that declares it. */
const SCHEMAS = {
  [EVENTS_NAMESPACE]: EPCIS_XSD_FILE,
  'urn:epcglobal:epcis-masterdata:xsd:2': EPCIS_MASTER_DATA_XSD_FILE,
};

/**
 * EPCIS 2.0 XML checked against the official XSD of its root (EPCISDocument, or EPCISMasterDataDocument when the
 * folder has the master data XSD) with libxml2 (libxml2-wasm), in a worker thread: the library is an ES module with
 * top-level await (which CommonJS services cannot load) and validation is CPU work that should not hold up the event
 * loop serving Kafka. Findings name the element, the rule and the line, and the event when the
 * caller says on which lines its events start.
 */
export class EpcisXsdValidator {
  private readonly pool: Piscina;
  /** Whether master data documents are checked (the folder has their XSD). */
  readonly checksMasterData: boolean;

  constructor(xsdDir: string, threads = 1) {
    const dir = resolve(xsdDir);
    if (!existsSync(join(dir, EPCIS_XSD_FILE))) {
      throw new Error(`EPCIS_XSD_DIR: no ${EPCIS_XSD_FILE} in ${dir}`);
    }
    this.checksMasterData = existsSync(join(dir, EPCIS_MASTER_DATA_XSD_FILE));
    this.pool = new Piscina({
      filename: join(__dirname, 'xsd-validation.worker.mjs'),
      workerData: { xsdDir: dir, schemas: SCHEMAS, defaultNamespace: EVENTS_NAMESPACE },
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  /** Issues of a document the XSD refuses (none when it is valid); `eventLines[i]` is the line event i starts on. */
  async validate(xml: Uint8Array, eventLines: readonly number[] = []): Promise<EpcisIssue[]> {
    const result = (await this.pool.run({ xml })) as WorkerResult;
    return result.errors.map(({ message, line }) => {
      const eventIndex = eventAt(eventLines, line);
      return {
        code: EpcisIssueCode.XML_SCHEMA,
        message: `the EPCIS 2.0 XML Schema refuses the document${line ? ` at line ${line}` : ''}: ${message}`,
        field: eventIndex === undefined ? '' : `/epcisBody/eventList/${eventIndex}`,
        ...(eventIndex === undefined ? {} : { eventIndex }),
        ...(line ? { position: { offset: 0, line, column: 1 } } : {}),
      };
    });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** The event whose start tag is the last one at or before `line`. */
function eventAt(starts: readonly number[], line: number): number | undefined {
  let found: number | undefined;
  for (let i = 0; i < starts.length && starts[i] <= line; i++) found = i;
  return found;
}
