import {
  commissioningEvent,
  epcisDocument,
  glnOf,
  type Party,
  pglnUrn,
  sglnUrn,
  sgtinUrn,
} from '@pedigree/epcis';
import type { DeadLetterMessage } from '@pedigree/messaging';
import {
  apiClient,
  createTestContext,
  database,
  produceDocuments,
  publisherHeader,
  readDeadLetters,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import fc from 'fast-check';

const maker: Party = { companyPrefix: '4012345', pgln: pglnUrn('4012345', 0), site: sglnUrn('4012345', 1) };
type Json = Record<string, unknown>;

/** A valid one-lot document whose packs' serials start with `tag`, so what was stored of it can be counted. */
function lotDocument(tag: string, packs = 3): Json {
  return epcisDocument([
    commissioningEvent({
      epcs: Array.from({ length: packs }, (_, i) => sgtinUrn('4012345', '12345', `${tag}-${i}`)),
      at: maker,
      time: new Date(Date.now() - 3600_000),
      lot: tag,
      expiry: '2031-01-31',
    }),
    ...Array.from({ length: packs }, (_, i) =>
      commissioningEvent({
        epcs: [sgtinUrn('4012345', '12345', `${tag}-x${i}`)],
        at: maker,
        time: new Date(Date.now() - 3500_000 + i),
        lot: tag,
        expiry: '2031-01-31',
      }),
    ),
  ]);
}

function eventsOf(document: Json): Json[] {
  return (document.epcisBody as { eventList: Json[] }).eventList;
}

/** Hostile messages: each must end as exactly one dead letter with the original bytes and a named reason. */
function hostile(): { name: string; value: Buffer; reason?: RegExp }[] {
  const withEvent = (tag: string, patch: (event: Json) => void): Buffer => {
    const document = lotDocument(tag, 1);
    patch(eventsOf(document)[1]!);
    return Buffer.from(JSON.stringify(document));
  };
  const huge = lotDocument('HUGE', 1);
  (eventsOf(huge)[0]!.ilmd as Json)['example:padding'] = 'x'.repeat(7 * 1024 * 1024);
  return [
    {
      name: 'truncated JSON',
      value: Buffer.from('{"type":"EPCISDocument","epcisBody":{"eventList":[{'),
      reason: /JSON/,
    },
    { name: 'an empty message', value: Buffer.alloc(0) },
    { name: 'bytes that are not UTF-8', value: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x7d]) },
    { name: 'a JSON array', value: Buffer.from('[1,2,3]') },
    { name: 'JSON null', value: Buffer.from('null') },
    { name: 'a document of 7 MiB', value: Buffer.from(JSON.stringify(huge)) },
    { name: '10,000 nested arrays', value: Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) },
    {
      name: 'an event field nested 5,000 deep',
      // Spliced in as text: building it as an object would overflow JSON.stringify here before the platform sees it.
      value: Buffer.from(
        withEvent('DEEP', (e) => (e['example:deep'] = 'DEEP-HERE'))
          .toString()
          .replace('"DEEP-HERE"', `${'{"a":'.repeat(5000)}0${'}'.repeat(5000)}`),
      ),
    },
    { name: 'eventTime as a number', value: withEvent('TYPE1', (e) => (e.eventTime = 12345)) },
    { name: 'epcList as a string', value: withEvent('TYPE2', (e) => (e.epcList = 'not-a-list')) },
    { name: 'action as a boolean', value: withEvent('TYPE3', (e) => (e.action = true)) },
    {
      name: 'a Digital Link with a wrong GTIN check digit',
      value: withEvent('CHECK1', (e) => (e.epcList = ['https://id.gs1.org/01/04012345123457/21/CHECK1'])),
    },
    {
      name: 'a location GLN with a wrong check digit',
      value: withEvent('CHECK2', (e) => (e.bizLocation = { id: 'https://id.gs1.org/414/4012345000011' })),
    },
    {
      name: 'a string with a NUL character',
      value: withEvent('NUL', (e) => ((e.ilmd as Json)['cbvmda:lotNumber'] = 'NUL\u0000LOT')),
      reason: /EPCIS_INVALID_TEXT .*cbvmda:lotNumber.*NUL/,
    },
    {
      name: 'a lone surrogate',
      value: Buffer.from(JSON.stringify(lotDocument('SURR', 1)).replace('"SURR"', '"SURR\\ud800"')),
      reason: /EPCIS_INVALID_TEXT .*surrogate/,
    },
    {
      name: 'a prototype-pollution key',
      value: Buffer.from(
        JSON.stringify(lotDocument('PROTO', 1)).replace(
          '{"type":"ObjectEvent"',
          '{"__proto__":{"polluted":true},"type":"ObjectEvent"',
        ),
      ),
    },
  ];
}

const REJECTED_TAGS = ['HUGE', 'DEEP', 'TYPE1', 'TYPE2', 'TYPE3', 'CHECK1', 'CHECK2', 'NUL', 'SURR', 'PROTO'];

/** Odd but legitimate values: accepted and stored verbatim, harmless. */
const ODD_LOTS = [
  `'; DROP TABLE epcis_events; --`,
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '‮LOT-RTL‬',
  'LOT-😷-ﬁ-é-é',
  'LOT\u200d\u2028\u2029',
];

/**
 * Bad input at the two doors (Kafka and the capture API) and the query strings: no crash, a clear error naming
 * what was wrong, the dead letter keeps the original bytes and the reason, and nothing of a rejected document is
 * written. Fuzzed documents (fast-check mutations of valid ones) are either stored whole or dead-lettered whole.
 */
describe('bad input', () => {
  let context: TestContext;
  const services: Record<string, RunningService> = {};
  let admin: ReturnType<typeof apiClient>;
  let maker_: ReturnType<typeof apiClient>;
  let orgId: string;
  const letters: DeadLetterMessage[] = [];
  let expectedLetters = 0;

  beforeAll(async () => {
    context = await createTestContext('bad input', { deployContracts: false });
    services.api = await startService('api', context.env);
    services.ingest = await startService('ingest', context.env);
    admin = apiClient(services.api.port, TEST_ADMIN_TOKEN);
    orgId = (
      await admin.post<{ id: string }>('/v1/admin/organisations', {
        name: 'Acme Pharma',
        role: 'manufacturer',
        companyPrefixes: ['4012345'],
        glns: [glnOf('4012345', 0), glnOf('4012345', 1)],
      })
    ).body.id;
    const key = await admin.post<{ key: string }>(`/v1/admin/organisations/${orgId}/api-keys`, {
      label: 'fuzz',
    });
    maker_ = apiClient(services.api.port, key.body.key);
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await context?.cleanup();
  });

  async function storedWithPrefix(prefix: string): Promise<number> {
    const db = await database(context.config);
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(DISTINCT e.event_hash)::int AS n FROM epcis_events e, unnest(e.epcs) epc WHERE epc LIKE $1`,
        [`%.${prefix}-%`],
      );
      return rows[0]!.n;
    } finally {
      await db.end();
    }
  }

  /** Parked documents by message key, each with its reason code. */
  async function parkedByKey(): Promise<Map<string, string[]>> {
    const db = await database(context.config);
    try {
      const { rows } = await db.query<{ message_key: string; code: string }>(
        `SELECT message_key, reason->>'code' AS code FROM parked_documents`,
      );
      const byKey = new Map<string, string[]>();
      for (const row of rows) byKey.set(row.message_key, [...(byKey.get(row.message_key) ?? []), row.code]);
      return byKey;
    } finally {
      await db.end();
    }
  }

  async function deadLetters(count: number): Promise<DeadLetterMessage[]> {
    const all = await waitFor(
      `${count} dead letters`,
      async () => {
        const read = await readDeadLetters(context.config, count, 5000);
        return read.length >= count ? read : undefined;
      },
      120_000,
      1000,
    );
    letters.splice(0, letters.length, ...all);
    return all;
  }

  it('dead-letters every hostile Kafka message with its original bytes and a named reason, and keeps running', async () => {
    const cases = hostile();
    await produceDocuments(
      context.config,
      cases.map((c, i) => ({ key: `hostile-${i}`, value: c.value, headers: publisherHeader(orgId) })),
    );
    // A good document after them: the worker survived and still takes events.
    await produceDocuments(context.config, [
      { key: 'after', value: lotDocument('AFTER'), headers: publisherHeader(orgId) },
    ]);
    expectedLetters += cases.length;
    await waitFor(
      'the good document after the hostile ones',
      async () => (await storedWithPrefix('AFTER')) === 4,
    );
    const received = await deadLetters(expectedLetters);
    for (const [i, c] of cases.entries()) {
      const mine = received.filter((l) => l.source.key === `hostile-${i}`);
      expect({ case: c.name, letters: mine.length }).toEqual({ case: c.name, letters: 1 });
      const letter = mine[0]!;
      expect({
        case: c.name,
        bytesKept: Buffer.from(letter.originalPayloadBase64, 'base64').equals(c.value),
      }).toEqual({
        case: c.name,
        bytesKept: true,
      });
      expect(letter.reason.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(letter.reason.detail.length).toBeGreaterThan(10);
      if (c.reason) expect(`${letter.reason.code} ${letter.reason.detail}`).toMatch(c.reason);
      expect(letter.source.headers).toMatchObject(publisherHeader(orgId));
    }
    // Nothing of any rejected document was written.
    for (const tag of REJECTED_TAGS)
      expect({ tag, stored: await storedWithPrefix(tag) }).toEqual({ tag, stored: 0 });
    expect((await fetch(`http://127.0.0.1:${services.ingest!.port}/health`)).status).toBe(200);
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('stores odd but legitimate values verbatim, and injection strings stay data', async () => {
    await produceDocuments(
      context.config,
      ODD_LOTS.map((lot, i) => {
        const document = lotDocument(`ODD${i}`, 1);
        for (const event of eventsOf(document)) (event.ilmd as Json)['cbvmda:lotNumber'] = lot;
        return { key: `odd-${i}`, value: document, headers: publisherHeader(orgId) };
      }),
    );
    await waitFor('every odd lot stored', async () => {
      for (let i = 0; i < ODD_LOTS.length; i++) if ((await storedWithPrefix(`ODD${i}`)) !== 2) return false;
      return true;
    });
    const db = await database(context.config);
    try {
      const { rows } = await db.query<{ lot: string }>(`SELECT DISTINCT lot FROM packs WHERE lot = ANY($1)`, [
        ODD_LOTS,
      ]);
      expect(rows.map((r) => r.lot).sort()).toEqual([...ODD_LOTS].sort());
    } finally {
      await db.end();
    }
    // The events are queryable through the API with the lot exactly as sent.
    const query = await admin.get<{ epcisBody: { queryResults: { resultsBody: { eventList: Json[] } } } }>(
      `/epcis/v2/events?EQ_bizStep=commissioning&MATCH_epc=${encodeURIComponent(sgtinUrn('4012345', '12345', 'ODD0-0'))}`,
    );
    expect(query.status).toBe(200);
    expect(JSON.stringify(query.body)).toContain(JSON.stringify(ODD_LOTS[0]).slice(1, -1));
  });

  it('stores each fuzzed document whole or dead-letters it whole, never part of it', async () => {
    // Mutations of a valid document: a random event's random field set to a random JSON value or deleted.
    const mutation = fc.record({
      event: fc.nat(),
      field: fc.constantFrom(
        'eventTime',
        'eventTimeZoneOffset',
        'action',
        'bizStep',
        'disposition',
        'epcList',
        'readPoint',
        'bizLocation',
        'ilmd',
        'type',
        'example:any',
      ),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constant(undefined),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
    });
    const samples = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 3 }), {
      numRuns: 60,
      seed: 20261123,
    });
    const documents = samples.map((mutations, d) => {
      const document = lotDocument(`FZ${d}`, 2);
      const events = eventsOf(document);
      for (const m of mutations) {
        const event = events[m.event % events.length]!;
        if (m.value === undefined) delete event[m.field];
        else event[m.field] = m.value;
      }
      return { key: `fuzz-${d}`, value: document, headers: publisherHeader(orgId) };
    });
    await produceDocuments(context.config, documents);
    await produceDocuments(context.config, [
      { key: 'after-fuzz', value: lotDocument('AFTERFZ'), headers: publisherHeader(orgId) },
    ]);
    await waitFor(
      'the document after the fuzzed ones',
      async () => (await storedWithPrefix('AFTERFZ')) === 4,
      120_000,
    );

    // How many events of each document name its packs (a mutation may have replaced an epcList).
    const wholeCounts = documents.map(
      ({ value }, d) =>
        eventsOf(value).filter(
          (e) =>
            Array.isArray(e.epcList) &&
            e.epcList.some((x) => typeof x === 'string' && x.includes(`.FZ${d}-`)),
        ).length,
    );
    // Each fuzzed document ends one of three whole ways: all its events stored; none stored and one dead letter; or
    // none stored and the document parked whole (a rule waits for something, e.g. a mutated time put an event
    // before its predecessor), with the reason kept.
    let unaccounted = '';
    const outcomes = await waitFor(
      'every fuzzed document accounted for',
      async () => {
        const all = await readDeadLetters(context.config, expectedLetters + documents.length, 4000);
        const parked = await parkedByKey();
        const results = [];
        for (let d = 0; d < documents.length; d++) {
          const stored = await storedWithPrefix(`FZ${d}`);
          const whole = wholeCounts[d]!;
          const mine = all.filter((l) => l.source.key === `fuzz-${d}`);
          const parkedReasons = parked.get(`fuzz-${d}`) ?? [];
          const outcome =
            stored === whole && mine.length === 0 && parkedReasons.length === 0
              ? 'stored'
              : stored === 0 && mine.length === 1 && parkedReasons.length === 0
                ? 'rejected'
                : stored === 0 && mine.length === 0 && parkedReasons.length === 1 && parkedReasons[0]
                  ? 'parked'
                  : undefined;
          if (!outcome) {
            unaccounted = `fuzz-${d}: ${stored} of ${whole} stored, ${mine.length} letters, ${parkedReasons.length} parked; mutations ${JSON.stringify(samples[d])}`;
            return undefined;
          }
          results.push(outcome);
        }
        return results;
      },
      120_000,
      2000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; ${unaccounted}`);
    });
    // Both outcomes occur, so the property was exercised both ways.
    expect(outcomes).toContain('stored');
    expect(outcomes).toContain('rejected');
  });

  it('answers hostile capture bodies with 4xx problem+json naming what was wrong, never 5xx', async () => {
    const capture = (body: Buffer | string, contentType = 'application/ld+json') =>
      maker_.request<{ code?: string; detail?: string; captureID?: string }>(
        'POST',
        '/epcis/v2/capture',
        body as string,
        {
          'content-type': contentType,
        },
      );
    for (const c of hostile()) {
      // The HTTP door has its own size limit; the 7 MiB case is answered 413 there.
      const response = await capture(c.value.toString('latin1'));
      expect({ case: c.name, status: response.status < 500 }).toEqual({ case: c.name, status: true });
      if (response.status >= 400) {
        expect(response.contentType).toContain('application/problem+json');
        expect(response.body.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        expect(response.body.detail?.length).toBeGreaterThan(10);
      } else {
        // Accepted for asynchronous capture: the job must then fail, keeping nothing.
        const job = await waitFor(`capture job of ${c.name}`, async () => {
          const j = await maker_.get<{ running: boolean; success: boolean; errors: unknown[] }>(
            `/epcis/v2/capture/${response.body.captureID}`,
          );
          return j.body.running ? undefined : j.body;
        });
        expect({ case: c.name, success: job.success, errors: job.errors.length > 0 }).toEqual({
          case: c.name,
          success: false,
          errors: true,
        });
      }
    }
    const wrongType = await capture('type=EPCISDocument', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect(wrongType.status).toBeLessThan(500);

    // Random bodies.
    const bodies = fc.sample(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      ),
      { numRuns: 80, seed: 7 },
    );
    for (const body of bodies) {
      const response = await capture(body ?? '');
      expect({ body, status: response.status < 500 }).toEqual({ body, status: true });
    }
    for (const tag of REJECTED_TAGS)
      expect({ tag, stored: await storedWithPrefix(tag) }).toEqual({ tag, stored: 0 });
    expect((await fetch(`http://127.0.0.1:${services.api!.port}/health`)).status).toBe(200);
  });

  it('answers hostile query strings with 400 naming the parameter, never 5xx', async () => {
    const junk = fc.sample(fc.string({ unit: 'binary', maxLength: 30 }), { numRuns: 25, seed: 11 });
    junk.push(
      "' OR 1=1 --",
      '%00',
      '9'.repeat(400),
      '-1',
      '1e309',
      'NaN',
      '[object Object]',
      '2026-13-45T99:99:99Z',
    );
    const paths = (v: string) => {
      const e = encodeURIComponent(v);
      return [
        `/v1/verify?gtin=${e}&serial=X`,
        `/v1/verify?gtin=04012345123456&serial=${e}`,
        `/v1/verify?barcode=${e}`,
        `/epcis/v2/events?GE_eventTime=${e}`,
        `/epcis/v2/events?perPage=${e}`,
        `/epcis/v2/events?nextPageToken=${e}`,
        `/epcis/v2/events?MATCH_epc=${e}`,
        `/epcis/v2/events?eventType=${e}`,
        `/v1/alerts?limit=${e}`,
        `/v1/alerts?status=${e}`,
        `/v1/shipments?status=${e}`,
        `/v1/forecasts?gtin=${e}`,
        `/v1/provenance/${e}`,
        `/epcis/v2/capture/${e}`,
      ];
    };
    const failures: string[] = [];
    for (const value of junk)
      for (const path of paths(value)) {
        const response = await admin.get<{ code?: string }>(path);
        if (response.status >= 500) failures.push(`${path} → ${response.status}`);
        if (response.status === 400 && !response.body.code) failures.push(`${path} → 400 without a code`);
      }
    expect(failures).toEqual([]);
    const named = await admin.get<{ field?: string; code: string }>('/epcis/v2/events?perPage=banana');
    expect(named.status).toBe(400);
    expect(named.body.field).toBe('perPage');
  });
});
