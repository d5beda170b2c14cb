import type { CustodyOutboxPayload } from '@pedigree/database';
import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { PackState } from '@pedigree/supply-chain';
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

/**
 * Row locks on the packs a batch touches, against a real PostgreSQL with two sessions: what a batch that waited for
 * a container's lock sees of what the batch holding it packed into it.
 */
describe('IngestRepository.lockPacks (PostgreSQL)', () => {
  const CASE = 'urn:epc:id:sgtin:4012345.112345.CASE1';
  const INSIDE = 'urn:epc:id:sgtin:4012345.012345.PACK1';
  const LATE = 'urn:epc:id:sgtin:4012345.012345.PACK2';
  const LATE_INNER = 'urn:epc:id:sgtin:4012345.012345.PACK3';
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: IngestRepository;

  const pack = (epc: string, parentEpc: string | null, n: number): PackState => ({
    epc,
    kind: 'sgtin',
    gtin: null,
    serial: null,
    lot: null,
    expiry: null,
    status: 'commissioned',
    custodian: null,
    ownerOrgId: MAKER,
    location: null,
    shippedTo: null,
    consignmentKey: null,
    parentEpc,
    commissionEventHash: null,
    lastEventHash: Buffer.alloc(32, n),
    lastEventTime: new Date(Date.UTC(2026, 11, 1, n)),
    historyCount: 1,
    historyHead: null,
    flagged: 0,
  });

  /** Resolves once some session waits for a row lock: the batch under test is blocked on the container. */
  async function someoneWaitsForALock(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (Number(rows[0]!.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the batch under test never waited for the container');
  }

  beforeAll(async () => {
    context = await createTestContext('ingest-repository-locks', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    repository = new IngestRepository(dataSource, context.config);
  });

  beforeEach(async () => {
    await db.query('TRUNCATE packs CASCADE');
    await dataSource.transaction((manager) =>
      repository.upsertPacks(manager, [
        pack(CASE, null, 1),
        pack(INSIDE, CASE, 2),
        pack(LATE, null, 3),
        pack(LATE_INNER, LATE, 4),
      ]),
    );
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('locks a container and everything inside it', async () => {
    const locked = await dataSource.transaction((manager) => repository.lockPacks(manager, [CASE]));
    expect(locked.map((p) => p.epc).sort()).toEqual([CASE, INSIDE].sort());
  });

  it('also locks what a batch packed into the container while this one waited for its lock, and what is inside that', async () => {
    // The packing batch: holds the case and the pack it packs, as ingest's own batch would.
    const packer = await database(context.config);
    try {
      await packer.query('BEGIN');
      await packer.query(`SELECT epc FROM packs WHERE epc = ANY($1) ORDER BY epc FOR UPDATE`, [[CASE, LATE]]);
      await packer.query(`UPDATE packs SET parent_epc = $1 WHERE epc = $2`, [CASE, LATE]);
      await packer.query(`UPDATE packs SET history_count = 2 WHERE epc = $1`, [CASE]);
      const waiting = dataSource.transaction((manager) => repository.lockPacks(manager, [CASE]));
      await someoneWaitsForALock();
      await packer.query('COMMIT');
      const locked = await waiting;
      expect(locked.map((p) => p.epc).sort()).toEqual([CASE, INSIDE, LATE, LATE_INNER].sort());
      expect(locked.find((p) => p.epc === LATE)?.parentEpc).toBe(CASE);
      expect(locked.find((p) => p.epc === CASE)?.historyCount).toBe(2);
    } finally {
      await packer.end();
    }
  });
});
