/**
 * Throughput of the capture hot path on a realistic 1,000-event pharma document: parse (limits) + validate
 * (official schema + EPCIS rules) + normalise. Run from the repository root:
 *
 *   npx ts-node --transpile-only libs/epcis/src/validation/validation.bench.ts [events] [rounds]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDocumentContext, getEventList } from '../model/epcis-document-context';
import { normaliseEvent } from '../model/event-normaliser';
import { parseEpcisJson } from './epcis-json-parser';
import { createEpcisValidator } from './epcis-validator';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const SCHEMA_PATH = resolve(REPO_ROOT, '..', 'shared', 'conformance', 'epcis', 'EPCIS-JSON-Schema.json');

function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

const PREFIX = '0614141';
const MANUFACTURER_GLN = `urn:epc:id:sgln:${PREFIX}.00001.0`;
const WHOLESALER_GLN = 'urn:epc:id:sgln:4012345.00001.0';
const PHARMACY_GLN = 'urn:epc:id:sgln:9520001.00010.0';

function sgtin(item: number, serial: number, digitalLink: boolean): string {
  const itemRef = `1${String(item).padStart(5, '0')}`;
  if (!digitalLink) return `urn:epc:id:sgtin:${PREFIX}.${itemRef}.${100000 + serial}`;
  const body = itemRef[0] + PREFIX + itemRef.slice(1);
  return `https://id.gs1.org/01/${body}${checkDigit(body)}/21/${100000 + serial}`;
}

function sscc(n: number): string {
  return `urn:epc:id:sscc:${PREFIX}.1${String(n).padStart(9, '0')}`;
}

function time(minute: number): string {
  return new Date(Date.UTC(2024, 2, 1, 8, 0, 0) + minute * 60_000).toISOString().replace('Z', '+00:00');
}

/** Commission 5 packs, pack them into a case, ship, receive, dispense: the DSCSA/FMD flow, 200 times. */
export function buildDocument(eventCount: number, serialOffset = 0): Record<string, unknown> {
  const events: Record<string, unknown>[] = [];
  for (let batch = 0; events.length < eventCount; batch++) {
    const packs = Array.from({ length: 5 }, (_, i) =>
      sgtin(batch % 50, serialOffset + batch * 5 + i, batch % 2 === 1),
    );
    const caseId = sscc(serialOffset + batch);
    const base = { eventTimeZoneOffset: '+01:00' };
    events.push(
      {
        type: 'ObjectEvent',
        ...base,
        eventTime: time(batch * 10),
        eventID: `urn:uuid:00000000-0000-4000-8000-${String(batch).padStart(12, '0')}`,
        epcList: packs,
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        readPoint: { id: MANUFACTURER_GLN },
        bizLocation: { id: MANUFACTURER_GLN },
        ilmd: { 'cbvmda:lotNumber': `LOT${batch % 20}`, 'cbvmda:itemExpirationDate': '2026-12-31' },
      },
      {
        type: 'AggregationEvent',
        ...base,
        eventTime: time(batch * 10 + 1),
        parentID: caseId,
        childEPCs: packs,
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: MANUFACTURER_GLN },
      },
      {
        type: 'ObjectEvent',
        ...base,
        eventTime: time(batch * 10 + 2),
        epcList: [caseId],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: MANUFACTURER_GLN },
        bizTransactionList: [
          { type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:0614141000005:PO${batch}` },
          { type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:0614141000005:ASN${batch}` },
        ],
        sourceList: [
          { type: 'owning_party', source: `urn:epc:id:pgln:${PREFIX}.00000` },
          { type: 'location', source: MANUFACTURER_GLN },
        ],
        destinationList: [
          { type: 'owning_party', destination: 'urn:epc:id:pgln:4012345.00000' },
          { type: 'location', destination: WHOLESALER_GLN },
        ],
        'example:shipmentRef': { 'example:carrier': 'ACME', 'example:tracking': `TRK${batch}` },
      },
      {
        type: 'ObjectEvent',
        ...base,
        eventTime: time(batch * 10 + 5),
        epcList: [caseId],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: WHOLESALER_GLN },
        bizLocation: { id: WHOLESALER_GLN },
      },
      {
        type: 'ObjectEvent',
        ...base,
        eventTime: time(batch * 10 + 9),
        epcList: [packs[0]],
        action: 'OBSERVE',
        bizStep: 'dispensing',
        disposition: 'dispensed',
        readPoint: { id: PHARMACY_GLN },
        quantityList: [
          {
            epcClass: `urn:epc:class:lgtin:${PREFIX}.1${String(batch % 50).padStart(5, '0')}.LOT1`,
            quantity: 1,
          },
        ],
      },
    );
  }
  return {
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { example: 'https://ns.example.com/epcis/' },
    ],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-01T09:00:00.000+01:00',
    epcisBody: { eventList: events.slice(0, eventCount) },
  };
}

/**
 * Each round gets its own document with fresh serial numbers, so identifier parsing is measured as in production
 * (EPCs recur within a document, not across documents).
 */
function measure(
  label: string,
  inputs: readonly Buffer[],
  events: number,
  run: (input: Buffer) => void,
): void {
  for (const input of inputs.slice(0, 3)) run(input);
  const start = performance.now();
  for (const input of inputs) run(input);
  const ms = (performance.now() - start) / inputs.length;
  const rate = Math.round((events / ms) * 1000);
  process.stdout.write(
    `${`${label.padEnd(36)} ${ms.toFixed(2).padStart(8)} ms/document  ${rate.toLocaleString('en').padStart(9)} events/s`}\n`,
  );
}

function main(): void {
  const eventCount = Number(process.argv[2] ?? 1000);
  const rounds = Number(process.argv[3] ?? 40);
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const compileStart = performance.now();
  const validator = createEpcisValidator({ schema });
  process.stdout.write(`${`schema compiled in ${(performance.now() - compileStart).toFixed(0)} ms`}\n`);

  // Fresh serials per round and per measurement: a document uses fewer serials than it has events.
  const documents = (set: number): Buffer[] =>
    Array.from({ length: rounds }, (_, round) =>
      Buffer.from(JSON.stringify(buildDocument(eventCount, (set * rounds + round) * eventCount))),
    );
  const inputs = documents(0);
  const check = validator.validate(parseEpcisJson(inputs[0]).value);
  if (!check.valid) throw new Error(`bench document is invalid: ${JSON.stringify(check.errors.slice(0, 3))}`);
  process.stdout.write(
    `${`document: ${eventCount} events, ${(inputs[0].length / 1024).toFixed(0)} KiB; ${rounds} rounds; node ${process.version}`}\n`,
  );

  measure('JSON.parse only (baseline)', inputs, eventCount, (input) => {
    JSON.parse(input.toString('utf8'));
  });
  measure('parseEpcisJson (limits)', inputs, eventCount, (input) => {
    parseEpcisJson(input);
  });
  const parsed = documents(1).map((input) => parseEpcisJson(input).value);
  let next = 0;
  measure('validate (schema + rules)', inputs, eventCount, () => {
    validator.validate(parsed[next++ % parsed.length]);
  });
  measure('parse + validate + normalise', documents(2), eventCount, (input) => {
    const document = parseEpcisJson(input).value;
    if (!validator.validate(document).valid) throw new Error('invalid');
    const context = createDocumentContext(document);
    (getEventList(document) ?? []).forEach((event, index) => normaliseEvent(event, context, index));
  });
}

main();
