import fc from 'fast-check';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import {
  computeEventHash,
  computePreHash,
  eventHashDigest,
  eventHashesOfDocument,
  isEventHashId,
} from './event-hash';

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];

const BASE_EVENT = {
  type: 'ObjectEvent',
  eventTime: '2024-03-04T11:00:30.000+01:00',
  eventTimeZoneOffset: '+01:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.00001.0' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO1' }],
};

describe('computeEventHash', () => {
  it('returns an ni URI whose digest is the SHA-256 of the pre-hash', () => {
    const id = computeEventHash(BASE_EVENT, CONTEXT);
    expect(isEventHashId(id)).toBe(true);
    expect(computePreHash(BASE_EVENT, CONTEXT)).toBe(
      'eventType=ObjectEventeventTime=2024-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00' +
        'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018' +
        'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
        'readPointid=https://id.gs1.org/414/0614141000012' +
        'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:0614141000005:PO1',
    );
    const digest = eventHashDigest(id);
    expect(digest).toHaveLength(32);
    expect(digest.toString('hex')).toBe(id.slice('ni:///sha-256;'.length, -'?ver=CBV2.0'.length));
  });

  it('rejects what is not an Event Hash ID', () => {
    expect(() => eventHashDigest('ni:///sha-256;abc?ver=CBV2.0')).toThrow(RangeError);
    expect(() => eventHashDigest('ni:///sha-384;' + 'a'.repeat(96) + '?ver=CBV2.0')).toThrow(RangeError);
    expect(isEventHashId('sha256:' + 'a'.repeat(64))).toBe(false);
  });

  it('ignores eventID, recordTime, errorDeclaration, comments and the fields asked for', () => {
    const base = computeEventHash(BASE_EVENT, CONTEXT);
    const noisy = {
      ...BASE_EVENT,
      eventID: 'urn:uuid:1',
      recordTime: '2024-03-04T12:00:00Z',
      errorDeclaration: { declarationTime: '2024-03-05T00:00:00Z', reason: 'incorrect_data' },
      'rdfs:comment': 'a note',
      'example:captureID': 'abc',
    };
    expect(computeEventHash(noisy, CONTEXT, { ignoreFields: ['example:captureID'] })).toBe(base);
    expect(
      computeEventHash(noisy, CONTEXT, { ignoreFields: ['{https://ns.example.com/epcis/}captureID'] }),
    ).toBe(base);
    expect(computeEventHash(noisy, CONTEXT)).not.toBe(base);
  });

  it('writes extensions with their namespace, expanding the EPCIS context prefixes too', () => {
    const event = {
      ...BASE_EVENT,
      ilmd: { 'cbvmda:bestBeforeDate': '2025-01-31' },
      'example:note': { 'example:a': 1 },
    };
    const pre = computePreHash(event, CONTEXT);
    expect(pre).toContain('ilmd{urn:epcglobal:cbv:mda:}bestBeforeDate=2025-01-31');
    expect(pre.endsWith('{https://ns.example.com/epcis/}note{https://ns.example.com/epcis/}a=1')).toBe(true);
  });

  it('hashes the same event the same whatever the order of type and value in business transactions', () => {
    const swapped = {
      ...BASE_EVENT,
      bizTransactionList: [{ bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO1', type: 'po' }],
    };
    expect(computeEventHash(swapped, CONTEXT)).toBe(computeEventHash(BASE_EVENT, CONTEXT));
  });

  it('hashes the events of EPCIS documents and query documents', () => {
    const document = {
      '@context': CONTEXT,
      type: 'EPCISDocument',
      epcisBody: { eventList: [BASE_EVENT, BASE_EVENT] },
    };
    const query = {
      '@context': CONTEXT,
      type: 'EPCISQueryDocument',
      epcisBody: {
        queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [BASE_EVENT] } },
      },
    };
    const hash = computeEventHash(BASE_EVENT, CONTEXT);
    expect(eventHashesOfDocument(document)).toEqual([hash, hash]);
    expect(eventHashesOfDocument(query)).toEqual([hash]);
    expect(() => eventHashesOfDocument({ epcisBody: {} })).toThrow(TypeError);
  });
});

// ------------------------------------------------------------------------------------------------- properties

const alnum = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789'), {
      minLength: min,
      maxLength: max,
    })
    .map((c) => c.join(''));
const sgtin = fc
  .tuple(fc.constantFrom('107346', '207346', '112345'), alnum(1, 12))
  .map(([ir, s]) => `urn:epc:id:sgtin:0614141.${ir}.${s}`);
const sgln = fc.constantFrom(
  'urn:epc:id:sgln:0614141.00001.0',
  'urn:epc:id:sgln:4012345.00012.3',
  'urn:epc:id:sgln:0614141.00002.0',
);
const pgln = fc.constantFrom('urn:epc:id:pgln:0614141.00000', 'urn:epc:id:pgln:4012345.00000');
const decimal = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double({ min: -100, max: 100, noNaN: true }).map((d) => Math.round(d * 1000) / 1000),
);
const instant = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) });

/** An ISO 8601 timestamp of `ms` written in the given offset (minutes east of UTC). */
function writeTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const anyEvent: fc.Arbitrary<Record<string, Json>> = fc
  .record(
    {
      type: fc.constant('ObjectEvent'),
      eventTime: instant.map((ms) => writeTime(ms, 60)),
      eventTimeZoneOffset: fc.constantFrom('+01:00', '-06:00'),
      epcList: fc.uniqueArray(sgtin, { minLength: 1, maxLength: 6 }),
      action: fc.constantFrom('ADD', 'OBSERVE', 'DELETE'),
      bizStep: fc.constantFrom('shipping', 'receiving', 'commissioning', 'https://example.com/bizstep/own'),
      disposition: fc.constantFrom('in_transit', 'active', 'recalled'),
      readPoint: sgln.map((id) => ({ id })),
      bizLocation: sgln.map((id) => ({ id })),
      quantityList: fc.array(
        fc.record(
          {
            epcClass: fc.tuple(alnum(1, 8)).map(([lot]) => `urn:epc:class:lgtin:0614141.107346.${lot}`),
            quantity: decimal,
            uom: fc.constantFrom('KGM', 'LTR'),
          },
          { requiredKeys: ['epcClass'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      bizTransactionList: fc.array(
        fc.record({
          type: fc.constantFrom('po', 'desadv', 'inv'),
          bizTransaction: alnum(1, 8).map((r) => `urn:epcglobal:cbv:bt:0614141000005:${r}`),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      sourceList: fc.array(
        fc.record({ type: fc.constantFrom('owning_party', 'possessing_party'), source: pgln }),
        { minLength: 1, maxLength: 2 },
      ),
      destinationList: fc.array(
        fc.record({ type: fc.constantFrom('owning_party', 'location'), destination: pgln }),
        { minLength: 1, maxLength: 2 },
      ),
      persistentDisposition: fc.record({
        set: fc.uniqueArray(fc.constantFrom('completeness_inferred', 'recalled'), { minLength: 1 }),
      }),
      sensorElementList: fc.array(
        fc.record({
          sensorMetadata: fc.record({
            time: instant.map((ms) => writeTime(ms, 0)),
            deviceID: fc.constant('urn:epc:id:giai:4000001.111'),
          }),
          sensorReport: fc.array(
            fc.record({
              type: fc.constantFrom('Temperature', 'gs1:RelativeHumidity', 'Speed'),
              value: decimal,
              uom: fc.constantFrom('CEL', 'P1'),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      ilmd: fc.record({
        'example:lot': alnum(1, 10),
        'cbvmda:itemExpirationDate': fc.constant('2026-01-31'),
      }),
      'example:extension': fc.record({
        'example:a': alnum(1, 10),
        'example:b': fc.array(alnum(1, 5), { maxLength: 3 }),
        'example:c': decimal,
      }),
    },
    {
      requiredKeys: ['type', 'eventTime', 'eventTimeZoneOffset', 'epcList', 'action', 'bizStep', 'readPoint'],
    },
  )
  .map((e) => e as Record<string, Json>);

/** Tiny seeded PRNG, so a shuffle is reproducible from the fast-check seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Every object's keys and every list in a new random order (EPCIS lists are unordered). */
function reorder(value: Json, next: () => number): Json {
  if (Array.isArray(value)) return shuffled(value, next).map((v) => reorder(v, next));
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of shuffled(Object.keys(value), next)) out[k] = reorder(value[k], next);
    return out;
  }
  return value;
}

/** What PostgreSQL jsonb gives back: keys by length then bytes, numbers in their shortest form (26.0 → 26). */
function jsonbRoundTrip(value: Json): Json {
  const ordered = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(ordered);
    if (v !== null && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      const keys = Object.keys(v).sort(
        (a, b) =>
          Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
      for (const k of keys) out[k] = ordered(v[k]);
      return out;
    }
    return v;
  };
  return JSON.parse(JSON.stringify(ordered(value))) as Json;
}

/** The event as a client might have written it: integers with a `.0`, extra spaces. */
function writtenWithTrailingZeros(event: Json): string {
  return JSON.stringify(event, null, 2).replace(/(":\s*-?\d+)(?=[,\n\r}])/g, '$1.0');
}

interface Leaf {
  path: (string | number)[];
  value: string | number;
}

const IGNORED = new Set(['eventID', 'recordTime', 'errorDeclaration']);

function leaves(value: Json, path: (string | number)[] = []): Leaf[] {
  if (typeof value === 'string' || typeof value === 'number') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      path.length === 0 && IGNORED.has(k) ? [] : leaves(v, [...path, k]),
    );
  }
  return [];
}

function withLeaf(value: Json, path: readonly (string | number)[], leaf: Json): Json {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  const obj = value as { [k: string]: Json };
  return { ...obj, [head]: withLeaf(obj[head as string], rest, leaf) };
}

describe('Event Hash ID properties', () => {
  it('reordering keys and the elements of unordered lists keeps the hash', () => {
    fc.assert(
      fc.property(anyEvent, fc.integer(), (event, seed) => {
        expect(computeEventHash(reorder(event, random(seed)) as object, CONTEXT)).toBe(
          computeEventHash(event, CONTEXT),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('JSON and PostgreSQL jsonb round trips keep the hash', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const hash = computeEventHash(event, CONTEXT);
        expect(computeEventHash(JSON.parse(JSON.stringify(event)) as object, CONTEXT)).toBe(hash);
        expect(computeEventHash(jsonbRoundTrip(event) as object, CONTEXT)).toBe(hash);
        expect(computeEventHash(JSON.parse(writtenWithTrailingZeros(event)) as object, CONTEXT)).toBe(hash);
      }),
      { numRuns: 200 },
    );
  });

  it('changing any field value changes the hash', () => {
    fc.assert(
      fc.property(anyEvent, fc.nat(), (event, pick) => {
        const all = leaves(event);
        const leaf = all[pick % all.length];
        const changed = typeof leaf.value === 'number' ? leaf.value + 1 : `${leaf.value}Z`;
        const mutated = withLeaf(event, leaf.path, changed) as object;
        expect(computeEventHash(mutated, CONTEXT)).not.toBe(computeEventHash(event, CONTEXT));
      }),
      { numRuns: 500 },
    );
  });

  it('adding or removing a field changes the hash', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const hash = computeEventHash(event, CONTEXT);
        expect(computeEventHash({ ...event, 'example:added': 'x' }, CONTEXT)).not.toBe(hash);
        const { readPoint: _dropped, ...without } = event;
        expect(computeEventHash(without, CONTEXT)).not.toBe(hash);
      }),
      { numRuns: 100 },
    );
  });

  it('EPC URN or Digital Link, bare or URI vocabulary, any time zone: the same hash', () => {
    fc.assert(
      fc.property(
        anyEvent,
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        fc.constantFrom('web', 'urn'),
        (event, offset, form) => {
          const epcList = (event.epcList as string[]).map((urn) => epcUrnToDigitalLink(urn));
          const bizStep = event.bizStep as string;
          const spelled = bizStep.startsWith('https://')
            ? bizStep
            : form === 'web'
              ? `https://ref.gs1.org/cbv/BizStep-${bizStep}`
              : `urn:epcglobal:cbv:bizstep:${bizStep}`;
          const eventTime = writeTime(Date.parse(event.eventTime as string), offset);
          const other = { ...event, epcList, bizStep: spelled, eventTime };
          expect(computeEventHash(other, CONTEXT)).toBe(computeEventHash(event, CONTEXT));
        },
      ),
      { numRuns: 200 },
    );
  });
});
