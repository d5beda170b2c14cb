import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@pedigree/database';
import { DemandHistoryRepository } from './demand-history.repository';

const AMOXICILLIN = '04012345123456';
const IBUPROFEN = '04098765432109';

/** Monday 5 January 2026 plus `week` weeks, at 10:00 UTC. */
const weekOf = (week: number) => new Date(Date.UTC(2026, 0, 5 + week * 7, 10));

/** Weekly demand against a real, migrated PostgreSQL (the query once failed there and nowhere else). */
describe('DemandHistoryRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let events = 0;
  let organisations = 0;

  async function organisation(name: string, region: string | null): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO organisations (name, role, company_prefixes, glns, region, chain_account_index)
       VALUES ($1, 'dispenser', '{}', '{}', $2, $3) RETURNING id`,
      [name, region, 30 + organisations++],
    );
    return rows[0]!.id;
  }

  /** One event about `packs` new packs of a GTIN (or `sscc` cases), published by an organisation. */
  async function observe(
    orgId: string,
    time: Date,
    options: { gtin: string; packs?: number; bizStep?: string; kind?: 'sgtin' | 'sscc' },
  ): Promise<void> {
    const hash = Buffer.alloc(32);
    hash.writeUInt32BE(++events);
    const epcs = Array.from({ length: options.packs ?? 1 }, (_, i) => `urn:epc:id:test:${events}.${i}`);
    for (const epc of epcs)
      await db.query(
        `INSERT INTO packs (epc, kind, gtin, serial, status, last_event_hash, last_event_time)
         VALUES ($1, $2, $3, $1, 'dispensed', $4, $5)`,
        [epc, options.kind ?? 'sgtin', options.gtin, hash, time],
      );
    await db.query(
      `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, event_time, event_time_zone_offset,
                                 epcs, payload, publisher_org_id, source)
       VALUES ($1, 'ObjectEvent', 'OBSERVE', $2, $3, '+00:00', $4, '{}', $5, 'test')`,
      [hash, options.bizStep ?? 'dispensing', time, epcs, orgId],
    );
  }

  beforeAll(async () => {
    context = await createTestContext('demand history', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const north = await organisation('Apotheke Nord', 'DE-N');
    const south = await organisation('Apotheke Süd', 'DE-S');
    const unplaced = await organisation('Versandapotheke', null);
    // Amoxicillin in the north: 1, 2, 3, 1, 2, 3, ... packs over ten weeks, one event per pack.
    for (let week = 0; week < 10; week++)
      for (let i = 0; i <= week % 3; i++) await observe(north, weekOf(week), { gtin: AMOXICILLIN });
    // Ibuprofen in the south: two packs in one event, then nothing for two weeks.
    await observe(south, weekOf(1), { gtin: IBUPROFEN, packs: 2 });
    await observe(south, weekOf(2), { gtin: IBUPROFEN });
    await observe(south, weekOf(5), { gtin: IBUPROFEN });
    // None of these is demand: a delivery, a pharmacy with no region, a case (not a pack) handed out.
    await observe(north, weekOf(3), { gtin: AMOXICILLIN, packs: 5, bizStep: 'receiving' });
    await observe(unplaced, weekOf(3), { gtin: AMOXICILLIN, packs: 5 });
    await observe(north, weekOf(3), { gtin: AMOXICILLIN, kind: 'sscc' });
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('counts packs dispensed per GTIN, region and week, with empty weeks as zero', async () => {
    const series = await new DemandHistoryRepository(dataSource).weeklySeries(4);
    expect(series.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        id: `${AMOXICILLIN}|DE-N`,
        gtin: AMOXICILLIN,
        region: 'DE-N',
        start: '2026-01-05',
        frequency: 'weekly',
        values: [1, 2, 3, 1, 2, 3, 1, 2, 3, 1],
        kind: 'region',
        group: AMOXICILLIN,
      },
      {
        id: `${IBUPROFEN}|DE-S`,
        gtin: IBUPROFEN,
        region: 'DE-S',
        start: '2026-01-12',
        frequency: 'weekly',
        values: [2, 1, 0, 0, 1],
        kind: 'region',
        group: IBUPROFEN,
      },
    ]);
  });

  it('leaves out series shorter than the weeks asked for', async () => {
    const repository = new DemandHistoryRepository(dataSource);
    expect((await repository.weeklySeries(6)).map((s) => s.id)).toEqual([`${AMOXICILLIN}|DE-N`]);
    expect(await repository.weeklySeries(11)).toEqual([]);
  });
});
