import {
  createTestContext,
  database,
  insertDispenser,
  insertPackEvent,
  numberedHash,
  type TestContext,
} from '@pedigree/testing';
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

  const organisation = (name: string, region: string | null) =>
    insertDispenser(db, name, region, 30 + organisations++);

  /** One event about `packs` new packs of a GTIN (or `sscc` cases), published by an organisation. */
  async function observe(
    orgId: string,
    time: Date,
    options: { gtin: string; packs?: number; bizStep?: string; kind?: 'sgtin' | 'sscc' },
  ): Promise<void> {
    const n = ++events;
    const epcs = Array.from({ length: options.packs ?? 1 }, (_, i) => `urn:epc:id:test:${n}.${i}`);
    await insertPackEvent(db, { hash: numberedHash(n), orgId, time, epcs, ...options });
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

  it('counts packs dispensed per GTIN, region and week, with empty weeks as zero up to the last week with demand', async () => {
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
        // Not sold since week 5: the series still ends with the network's last week, so its forecasts start after it.
        values: [2, 1, 0, 0, 1, 0, 0, 0, 0],
        kind: 'region',
        group: IBUPROFEN,
      },
    ]);
  });

  it('leaves out series shorter than the weeks asked for', async () => {
    const repository = new DemandHistoryRepository(dataSource);
    expect((await repository.weeklySeries(10)).map((s) => s.id)).toEqual([`${AMOXICILLIN}|DE-N`]);
    expect(await repository.weeklySeries(11)).toEqual([]);
  });

  it('leaves out the week in progress: a part of a week would read as a fall in demand', async () => {
    // Trained on the Monday of week 9: its three packs so far are not a week's demand.
    const series = await new DemandHistoryRepository(dataSource).weeklySeries(4, weekOf(9));
    expect(Object.fromEntries(series.map((s) => [s.id, s.values]))).toEqual({
      [`${AMOXICILLIN}|DE-N`]: [1, 2, 3, 1, 2, 3, 1, 2, 3],
      [`${IBUPROFEN}|DE-S`]: [2, 1, 0, 0, 1, 0, 0, 0],
    });
  });
});
