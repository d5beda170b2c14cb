import type { CustodyOutboxPayload } from '@pedigree/database';
import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { IngestRepository } from './ingest.repository';

const PALLET = 'urn:epc:id:sscc:4012345.0000000001';
const OTHER = 'urn:epc:id:sscc:4012345.0000000002';
const [MAKER, WHOLESALER, PHARMACY, CLINIC] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

function handoff(
  action: 'ship' | 'receive',
  consignmentKey: string,
  n: number,
  from: string | null,
  to: string | null,
): CustodyOutboxPayload {
  return {
    action,
    consignmentId: `id:${consignmentKey}`,
    consignmentKey,
    fromParty: null,
    toParty: null,
    fromOrgId: from,
    toOrgId: to,
    eventHash: n.toString(16).padStart(64, '0'),
    eventTime: new Date(Date.UTC(2026, 11, 1, n)).toISOString(),
  };
}

/**
 * Custody transfers against a real, migrated PostgreSQL: which open transfer a receipt closes. Transfers are found by
 * their consignment's index whatever the statistics say (a server without autovacuum has none); these cases pin the
 * choice that lookup makes.
 */
describe('IngestRepository.recordCustody (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: IngestRepository;

  const record = (payloads: CustodyOutboxPayload[]) =>
    dataSource.transaction((manager) => repository.recordCustody(manager, payloads, new Map()));

  async function transfers(): Promise<{ to: string; shipped: string; received: string | null }[]> {
    const { rows } = await db.query<{ to: string; shipped: Buffer; received: Buffer | null }>(
      `SELECT to_org_id AS to, ship_event_hash AS shipped, receive_event_hash AS received
         FROM custody_transfers ORDER BY id`,
    );
    const hex = (b: Buffer | null) => (b ? String(parseInt(b.toString('hex'), 16)) : null);
    return rows.map((r) => ({ to: r.to, shipped: hex(r.shipped)!, received: hex(r.received) }));
  }

  beforeAll(async () => {
    context = await createTestContext('ingest-repository', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    repository = new IngestRepository(dataSource, context.config);
  });

  afterEach(async () => {
    await db.query('TRUNCATE custody_transfers, ledger_outbox');
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('closes the open transfer addressed to the receiver, even when a later one of the same consignment is open', async () => {
    await record([
      handoff('ship', PALLET, 1, MAKER, WHOLESALER),
      handoff('ship', PALLET, 2, WHOLESALER, PHARMACY),
    ]);
    await record([handoff('receive', PALLET, 3, MAKER, WHOLESALER)]);
    expect(await transfers()).toEqual([
      { to: WHOLESALER, shipped: '1', received: '3' },
      { to: PHARMACY, shipped: '2', received: null },
    ]);
  });

  it('closes the latest open transfer when none is addressed to the receiver, and leaves other consignments alone', async () => {
    await record([handoff('ship', PALLET, 1, MAKER, WHOLESALER), handoff('ship', OTHER, 2, MAKER, CLINIC)]);
    await record([handoff('ship', PALLET, 3, MAKER, PHARMACY)]);
    await record([handoff('receive', PALLET, 4, MAKER, CLINIC)]);
    expect(await transfers()).toEqual([
      { to: WHOLESALER, shipped: '1', received: null },
      { to: CLINIC, shipped: '2', received: null },
      { to: PHARMACY, shipped: '3', received: '4' },
    ]);
  });

  it('closes nothing for a receipt of a consignment with no open transfer, and records every handoff for the ledger', async () => {
    await record([
      handoff('ship', PALLET, 1, MAKER, WHOLESALER),
      handoff('receive', PALLET, 2, MAKER, WHOLESALER),
    ]);
    await record([
      handoff('receive', PALLET, 3, MAKER, WHOLESALER),
      handoff('receive', OTHER, 4, MAKER, CLINIC),
    ]);
    expect(await transfers()).toEqual([{ to: WHOLESALER, shipped: '1', received: '2' }]);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ledger_outbox WHERE kind = 'custody'`,
    );
    expect(Number(rows[0]!.n)).toBe(4);
  });

  it('closes many receipts of one batch, each on its own consignment', async () => {
    const keys = Array.from(
      { length: 300 },
      (_, i) => `urn:epc:id:sscc:4012345.${String(i).padStart(10, '0')}`,
    );
    await record(keys.map((key, i) => handoff('ship', key, i + 1, MAKER, WHOLESALER)));
    await record(keys.map((key, i) => handoff('receive', key, 1000 + i, MAKER, WHOLESALER)));
    const closed = await transfers();
    expect(closed).toHaveLength(300);
    expect(closed.every((t, i) => t.received === String(1000 + i))).toBe(true);
  });
});
