import { loadConfig } from '@pedigree/config';
import { dataSourceOptions, OutboxSeal } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type AlertCandidate, AlertsRepository } from './alerts.repository';

const MAKER = '6f1c1a52-0d59-4c1e-9d7a-2b1f3c4d5e6f';
const PHARMACY = '0b7e2d3c-4a5f-4b6c-8d9e-0f1a2b3c4d5e';

function candidate(overrides: Partial<AlertCandidate> = {}): AlertCandidate {
  return {
    dedupeKey: 'duplicate-serial:04012345123456:S1',
    kind: 'duplicate-serial',
    severity: 'medium',
    score: 0.6,
    epcs: ['urn:epc:id:sgtin:4012345.012345.S1'],
    gtin: '04012345123456',
    lot: 'L1',
    summary: 'A serial number was dispensed twice',
    evidence: { eventHashes: ['aa'], rules: ['dispensed-twice'] },
    orgIds: [MAKER],
    ...overrides,
  };
}

interface OutboxRow {
  payload: { alertId: string; status: string; epcs: string[] };
  seal: Buffer;
}

/**
 * Alerts against a real, migrated PostgreSQL: a repeat of the same pattern adds to the open alert (dedupe), and
 * only what changes an identifier's alerts (an opening, a re-opening, new packs) goes to the ledger, sealed.
 */
describe('AlertsRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: AlertsRepository;
  let seal: OutboxSeal;

  /** The ledger outbox entries about one alert, oldest first. */
  const outbox = async (alertId: string) =>
    (
      await db.query<OutboxRow>(
        `SELECT payload, seal FROM ledger_outbox WHERE kind = 'alert' AND payload->>'alertId' = $1 ORDER BY id`,
        [alertId],
      )
    ).rows;

  beforeAll(async () => {
    context = await createTestContext('alerts', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const config = loadConfig('intelligence', context.env);
    repository = new AlertsRepository(dataSource, config);
    seal = new OutboxSeal(config.ledgerOutboxSecret!);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('opens an alert and sends the opening to the ledger, sealed', async () => {
    const opened = await repository.upsert(candidate());
    expect(opened).toMatchObject({ ...candidate(), status: 'open', occurrences: 1 });
    expect(opened.openedAt).toBeInstanceOf(Date);
    const entries = await outbox(opened.id);
    expect(entries.map((e) => e.payload)).toEqual([
      { alertId: opened.id, status: 'open', epcs: candidate().epcs },
    ]);
    expect(seal.verify('alert', entries[0]!.payload, entries[0]!.seal)).toBe(true);
  });

  // Repeats once failed on NOT NULL `evidence`: `a->'eventHashes' || b->'eventHashes'` reads as
  // `((a->'eventHashes') || b)->'eventHashes'` in PostgreSQL (one precedence, left to right), which is NULL.
  it('adds a repeat to the open alert: highest score and severity, union of packs, members and evidence', async () => {
    const key = 'duplicate-serial:04012345123456:S2';
    const first = await repository.upsert(candidate({ dedupeKey: key }));
    await repository.upsert(candidate({ dedupeKey: key, score: 0.9, severity: 'high' }));
    const merged = await repository.upsert(
      candidate({
        dedupeKey: key,
        score: 0.7,
        severity: 'low',
        epcs: ['urn:epc:id:sgtin:4012345.012345.S2', 'urn:epc:id:sgtin:4012345.012345.S1'],
        evidence: { eventHashes: ['bb', 'aa'], rules: ['other-rule'] },
        orgIds: [PHARMACY, MAKER],
        summary: 'Two serial numbers were dispensed twice',
      }),
    );
    expect(merged.id).toBe(first.id);
    // The latest firing's sentence: it describes the most evidence.
    expect(merged.summary).toBe('Two serial numbers were dispensed twice');
    expect(merged).toMatchObject({ status: 'open', occurrences: 3, score: 0.9, severity: 'high' });
    expect([...merged.epcs].sort()).toEqual([
      'urn:epc:id:sgtin:4012345.012345.S1',
      'urn:epc:id:sgtin:4012345.012345.S2',
    ]);
    expect([...merged.orgIds].sort()).toEqual([PHARMACY, MAKER].sort());
    // Only the event hashes accumulate; the rest of the evidence is the first firing's.
    expect(merged.evidence).toEqual({ eventHashes: ['aa', 'bb'], rules: ['dispensed-twice'] });
    // The second firing changed nothing on chain; the third added a pack.
    expect((await outbox(first.id)).map((e) => e.payload.epcs.length)).toEqual([1, 2]);
  });

  it('adds a repeat of an alert that has no event hashes (a grey-market run’s next week)', async () => {
    const key = 'grey_market_spike:4010018000004:2026-06-29';
    const week = (epcs: string[]) =>
      candidate({
        dedupeKey: key,
        kind: 'grey_market_spike',
        epcs,
        evidence: { eventHashes: [], rules: [] },
      });
    await repository.upsert(week(['urn:epc:id:sgtin:4012345.012345.W1']));
    const merged = await repository.upsert(week(['urn:epc:id:sgtin:4012345.012345.W2']));
    expect(merged.epcs).toHaveLength(2);
    expect(merged.evidence).toEqual({ eventHashes: [], rules: [] });
  });

  it('reopens a resolved alert when the pattern comes back, and tells the ledger', async () => {
    const key = 'duplicate-serial:04012345123456:S3';
    const opened = await repository.upsert(candidate({ dedupeKey: key }));
    await db.query(`UPDATE alerts SET status = 'resolved' WHERE id = $1`, [opened.id]);
    const reopened = await repository.upsert(candidate({ dedupeKey: key }));
    expect(reopened).toMatchObject({ id: opened.id, status: 'open', occurrences: 2 });
    const entries = await outbox(opened.id);
    expect(entries.map((e) => e.payload.status)).toEqual(['open', 'open']);
    expect(seal.verify('alert', entries[1]!.payload, entries[1]!.seal)).toBe(true);
  });

  it('closes an alert the evidence no longer supports, with the note, sealed for the ledger; only once', async () => {
    const key = 'unknown_serial:urn:epc:id:sgtin:4012345.012345.S4';
    const opened = await repository.upsert(candidate({ dedupeKey: key, kind: 'unknown_serial' }));
    const closed = await repository.closeByEvidence(key, 'commissioned after all');
    expect(closed).toMatchObject({ id: opened.id, status: 'resolved' });
    const { rows } = await db.query<{ comments: { by: string; action: string; text: string }[] }>(
      `SELECT comments FROM alerts WHERE id = $1`,
      [opened.id],
    );
    expect(rows[0]!.comments).toEqual([
      expect.objectContaining({ by: 'intelligence', action: 'resolve', text: 'commissioned after all' }),
    ]);
    const entries = await outbox(opened.id);
    expect(entries.map((e) => e.payload.status)).toEqual(['open', 'resolved']);
    expect(seal.verify('alert', entries[1]!.payload, entries[1]!.seal)).toBe(true);
    // Already resolved, or never opened: nothing to close, nothing sent to the ledger.
    expect(await repository.closeByEvidence(key, 'again')).toBeUndefined();
    expect(await repository.closeByEvidence('unknown_serial:nothing', 'none')).toBeUndefined();
    expect(await outbox(opened.id)).toHaveLength(2);
  });

  it('keeps alerts with different keys apart', async () => {
    const shipment = await repository.upsert(
      candidate({ dedupeKey: 'custody-break:S9', kind: 'custody-break' }),
    );
    const diversion = await repository.upsert(candidate({ dedupeKey: 'diversion:S9', kind: 'diversion' }));
    expect(diversion.id).not.toBe(shipment.id);
    const { rows } = await db.query<{ kind: string; occurrences: number }>(
      `SELECT kind, occurrences FROM alerts WHERE dedupe_key IN ('custody-break:S9', 'diversion:S9') ORDER BY kind`,
    );
    expect(rows).toEqual([
      { kind: 'custody-break', occurrences: 1 },
      { kind: 'diversion', occurrences: 1 },
    ]);
  });
});
