import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { computeEventHash, createEpcisValidator, getEventList } from '@pedigree/epcis';
import { type Gs1ParseError, parseScannedBarcode } from '@pedigree/gs1';
import { parseSeriesCsv } from '../../forecasting/input/series-csv.parser';
import { simulateNetwork } from './network-simulator';
import { benignConfig, NETWORK_PRESETS } from './network.presets';
import type { SimulatedScenario } from './network.types';
import { PATTERN_KINDS } from './network.types';
import { scenarioMessages, writeScenario } from './scenario-output';

const schema = JSON.parse(
  readFileSync(
    resolve(__dirname, '../../../../..', '..', 'shared', 'conformance', 'epcis', 'EPCIS-JSON-Schema.json'),
    'utf8',
  ),
) as object;

type Json = Record<string, unknown>;
const eventsOf = (document: Json) => (getEventList(document) ?? []) as Json[];
const idsOf = (event: Json) => [
  ...((event.epcList as string[] | undefined) ?? []),
  ...((event.childEPCs as string[] | undefined) ?? []),
  ...(typeof event.parentID === 'string' ? [event.parentID] : []),
];

describe('simulateNetwork', () => {
  let scenario: SimulatedScenario;
  beforeAll(() => {
    scenario = simulateNetwork(NETWORK_PRESETS.tiny, 42);
  });

  it('is reproducible: the same seed gives byte-identical documents and labels, another seed does not', () => {
    const again = simulateNetwork(NETWORK_PRESETS.tiny, 42);
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(scenario.messages));
    expect(JSON.stringify(again.labels)).toBe(JSON.stringify(scenario.labels));
    expect(JSON.stringify(again.scans)).toBe(JSON.stringify(scenario.scans));
    const other = simulateNetwork(NETWORK_PRESETS.tiny, 43);
    expect(JSON.stringify(other.messages.slice(0, 50))).not.toBe(
      JSON.stringify(scenario.messages.slice(0, 50)),
    );
  });

  it('emits documents that pass the official EPCIS 2.0 JSON Schema, in send order', () => {
    const validator = createEpcisValidator({ schema });
    const invalid = scenario.messages.filter((m) => !validator.validate(m.document).valid);
    expect(invalid).toEqual([]);
    const times = scenario.messages.map((m) => Date.parse(m.sentAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const m of scenario.messages) {
      for (const event of eventsOf(m.document))
        expect(Date.parse(event.eventTime as string)).toBeLessThanOrEqual(Date.parse(m.sentAt));
    }
  });

  it('describes a network: organisations with prefixes, GLNs, regions and coordinates; products under their maker', () => {
    const { organisations, products, regions } = scenario.master;
    expect(regions).toHaveLength(2);
    expect(new Set(organisations.map((o) => o.role))).toEqual(
      new Set(['manufacturer', 'wholesaler', 'pharmacy']),
    );
    expect(new Set(organisations.map((o) => o.companyPrefix)).size).toBe(organisations.length);
    for (const o of organisations) {
      expect(o.glns).toHaveLength(2);
      expect(o.sites[0]!.gln).toMatch(/^\d{13}$/);
      expect(Number.isFinite(o.sites[0]!.lat) && Number.isFinite(o.sites[0]!.lon)).toBe(true);
    }
    for (const p of products) {
      const maker = organisations.find((o) => o.id === p.manufacturerId)!;
      expect(p.gtin.slice(1, 8)).toBe(maker.companyPrefix);
    }
    expect(scenario.summary.dispensed).toBeGreaterThan(500);
    expect(new Set(scenario.messages.map((m) => m.publisherOrgId)).size).toBeGreaterThan(5);
  });

  it('labels every injected pattern with its packs, documents and event hashes', () => {
    const byId = new Map(scenario.messages.map((m) => [m.documentId, m]));
    const kinds = new Set(scenario.labels.patterns.map((l) => l.kind));
    // The tiny preset injects at high rates so a unit test sees nearly every pattern.
    expect(kinds.size).toBeGreaterThanOrEqual(PATTERN_KINDS.length - 1);
    for (const label of scenario.labels.patterns) {
      expect(label.epcs.length).toBeGreaterThan(0);
      expect(label.documentIds.length).toBeGreaterThan(0);
      const hashes = new Set<string>();
      const named = new Set<string>();
      for (const id of label.documentIds) {
        const message = byId.get(id);
        expect(message).toBeDefined();
        for (const event of eventsOf(message!.document)) {
          idsOf(event).forEach((epc) => named.add(epc));
          hashes.add(computeEventHash(event, message!.document['@context'] as never));
        }
      }
      for (const hash of label.eventHashes) expect(hashes.has(hash)).toBe(true);
      // Pack-level patterns name their packs in their own documents; consignment-level ones name the consignment.
      expect(label.epcs.some((epc) => named.has(epc)) || named.has(label.subject)).toBe(true);
    }
  });

  it('labels benign noise: late uploads, duplicate sends, misread codes, receipts before shipments', () => {
    const { noise } = scenario.labels;
    for (const kind of [
      'late_upload',
      'duplicate_send',
      'missing_gs_separator',
      'receive_before_ship',
    ] as const) {
      expect(noise.some((n) => n.kind === kind)).toBe(true);
    }
    const copies = new Map<string, number>();
    for (const m of scenario.messages) copies.set(m.documentId, (copies.get(m.documentId) ?? 0) + 1);
    for (const n of noise.filter((x) => x.kind === 'duplicate_send'))
      expect(copies.get(n.documentIds[0]!)).toBe(2);
    for (const n of noise.filter((x) => x.kind === 'late_upload')) {
      const m = scenario.messages.find(
        (x) => x.documentId === n.documentIds[0] && x.noise?.includes('late_upload'),
      )!;
      const last = Math.max(...eventsOf(m.document).map((e) => Date.parse(e.eventTime as string)));
      expect(Date.parse(m.sentAt) - last).toBeGreaterThanOrEqual(2 * 3_600_000);
    }
  });

  it('includes scanned codes with and without the GS separator; without it they read back right or not at all', () => {
    const withGs = scenario.scans.filter((s) => s.withSeparator);
    const withoutGs = scenario.scans.filter((s) => !s.withSeparator);
    expect(withGs.length).toBeGreaterThan(0);
    expect(withoutGs.length).toBeGreaterThan(0);
    const read = (barcode: string, at: string) => {
      const pack = parseScannedBarcode(barcode, { now: new Date(at) });
      return { gtin: pack.gtin, serial: pack.serial, lot: pack.lot, expiry: pack.expiry?.iso };
    };
    for (const scan of withGs) {
      expect(read(scan.barcode, scan.at)).toEqual({
        gtin: scan.gtin,
        serial: scan.serial,
        lot: scan.lot,
        expiry: scan.expiry,
      });
    }
    let ambiguous = 0;
    for (const scan of withoutGs) {
      try {
        expect(read(scan.barcode, scan.at)).toEqual({
          gtin: scan.gtin,
          serial: scan.serial,
          lot: scan.lot,
          expiry: scan.expiry,
        });
      } catch (error) {
        // Some serials contain digits that read as another AI once GS is gone: refused, never misread.
        expect((error as Gs1ParseError).code).toBe('GS1_AMBIGUOUS_SEPARATOR');
        ambiguous++;
      }
    }
    expect(ambiguous).toBeLessThan(withoutGs.length);
  });

  it('injects nothing into a benign configuration', () => {
    const benign = simulateNetwork({ ...benignConfig(NETWORK_PRESETS.tiny), weeks: 3 }, 7);
    expect(benign.labels.patterns).toEqual([]);
    expect(benign.summary.documents).toBeGreaterThan(0);
  });

  it('writes a scenario to files (documents, labels, organisations, a demand CSV the forecaster reads)', () => {
    const dirA = mkdtempSync(join(tmpdir(), 'pedigree-scenario-'));
    const dirB = mkdtempSync(join(tmpdir(), 'pedigree-scenario-'));
    try {
      const written = writeScenario(scenario, dirA);
      writeScenario(scenario, dirB);
      const files = readdirSync(join(dirA, 'documents'));
      expect(files).toHaveLength(written.documents);
      expect(readFileSync(join(dirA, 'documents', files[7]!), 'utf8')).toBe(
        readFileSync(join(dirB, 'documents', files[7]!), 'utf8'),
      );
      expect(JSON.parse(readFileSync(join(dirA, 'labels.json'), 'utf8'))).toEqual(scenario.labels);
      const orgs = JSON.parse(readFileSync(join(dirA, 'organisations.json'), 'utf8')) as {
        organisations: unknown[];
      };
      expect(orgs.organisations).toHaveLength(scenario.master.organisations.length);
      const csv = parseSeriesCsv(readFileSync(join(dirA, 'demand.csv'), 'utf8'));
      expect(csv.frequency).toBe('weekly');
      expect(csv.series.length).toBe(scenario.dispensed.length);
    } finally {
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });

  it('streams Kafka-ready records in send order, paced when asked', async () => {
    const waits: number[] = [];
    const records = [];
    for await (const record of scenarioMessages(
      { messages: scenario.messages.slice(0, 30) },
      { speedup: 3600, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
    )) {
      records.push(record);
    }
    expect(records.map((r) => r.message.seq)).toEqual(scenario.messages.slice(0, 30).map((m) => m.seq));
    expect(records[0]!.headers['pedigree-publisher-org']).toBe(scenario.messages[0]!.publisherOrgId);
    expect(JSON.parse(records[0]!.value.toString('utf8'))).toEqual(scenario.messages[0]!.document);
    expect(waits.length).toBeGreaterThan(0);
  });
});
