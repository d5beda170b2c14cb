import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ParkingRepository } from './parking.repository';

const LOT = 'urn:epc:class:lgtin:4012345.012345.L1';
const PALLET = 'urn:epc:id:sscc:4012345.0000000001';

/**
 * The parking sweep's reads against a real, migrated PostgreSQL: which parked documents an identifier's arrival
 * may unblock, which waited too long, and removing one that breaks processing.
 */
describe('ParkingRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: ParkingRepository;
  const ids: Record<string, string> = {};

  async function park(name: string, waitingFor: string[], minutesAgo: number): Promise<void> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO parked_documents (payload, headers, source, message_key, event_indexes, waiting_for, reason, parked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() - make_interval(mins => $8)) RETURNING id`,
      [
        Buffer.from(`<${name}/>`),
        JSON.stringify({ 'content-type': 'application/xml' }),
        `epcis.events.v1/1/${minutesAgo}`,
        name === 'receipt' ? null : `key-${name}`,
        name === 'receipt' ? [0, 2] : null,
        waitingFor,
        JSON.stringify({ code: 'UNKNOWN_EPC', detail: `${name} waits` }),
        minutesAgo,
      ],
    );
    ids[name] = rows[0]!.id;
  }

  beforeAll(async () => {
    context = await createTestContext('parking', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    repository = new ParkingRepository(dataSource);
    await park('shipment', [PALLET], 30);
    await park('receipt', [LOT, PALLET], 5);
    await park('other-lot', ['urn:epc:class:lgtin:4012345.012345.L9'], 1);
    await park('anything', ['*'], 0);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('finds the documents waiting for any touched identifier, and those waiting for anything, in order', async () => {
    const rows = await repository.waitingFor([LOT, 'urn:epc:id:sgtin:4012345.012345.S1']);
    expect(rows.map((r) => r.id)).toEqual([ids.receipt, ids.anything]);
    expect(rows[0]).toMatchObject({
      payload: Buffer.from('<receipt/>'),
      headers: { 'content-type': 'application/xml' },
      source: 'epcis.events.v1/1/5',
      message_key: null,
      event_indexes: [0, 2],
      waiting_for: [LOT, PALLET],
      reason: { code: 'UNKNOWN_EPC', detail: 'receipt waits' },
      attempts: 0,
    });
    expect(rows[0]!.parked_at).toBeInstanceOf(Date);
    expect((await repository.waitingFor([PALLET])).map((r) => r.id)).toEqual([
      ids.shipment,
      ids.receipt,
      ids.anything,
    ]);
  });

  it('finds the documents parked longer than the timeout', async () => {
    expect((await repository.parkedLongerThan(10 * 60)).map((r) => r.id)).toEqual([ids.shipment]);
    expect((await repository.parkedLongerThan(30)).map((r) => r.id)).toEqual([
      ids.shipment,
      ids.receipt,
      ids['other-lot'],
    ]);
    expect(await repository.parkedLongerThan(3600)).toEqual([]);
  });

  it('removes one parked document and leaves the others', async () => {
    await repository.remove(ids.shipment!);
    expect((await repository.waitingFor([PALLET])).map((r) => r.id)).toEqual([ids.receipt, ids.anything]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parked_documents`);
    expect(rows[0]!.n).toBe(3);
  });

  it('reads at most 500 documents at a time, the oldest first', async () => {
    await db.query(
      `INSERT INTO parked_documents (payload, headers, source, waiting_for, reason, parked_at)
       SELECT '\\x00', '{}', 'epcis.events.v1/0/' || n, '{*}', '{"code":"UNKNOWN_EPC","detail":"backlog"}',
              now() - interval '1 day'
         FROM generate_series(1, 600) AS n`,
    );
    const touched = await repository.waitingFor([PALLET]);
    expect(touched).toHaveLength(500);
    expect(touched.slice(0, 2).map((r) => r.id)).toEqual([ids.receipt, ids.anything]);
    const expired = await repository.parkedLongerThan(30);
    expect(expired).toHaveLength(500);
    expect(expired.slice(0, 2).map((r) => r.id)).toEqual([ids.receipt, ids['other-lot']]);
  });
});
