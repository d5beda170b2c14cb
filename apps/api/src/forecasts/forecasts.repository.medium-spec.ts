import { dataSourceOptions } from '@pedigree/database';
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
import { ForecastsRepository } from './forecasts.repository';

const AMOXICILLIN = '04012345123456';
const IBUPROFEN = '04098765432109';
const WEEK = 7 * 86_400_000;
/** Monday `weeksAgo` weeks before this week's, at 10:00 UTC (the Demand page shows the last 52 weeks). */
function monday(weeksAgo: number): Date {
  const now = new Date();
  const thisMonday = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate() - ((now.getUTCDay() + 6) % 7),
  );
  return new Date(thisMonday - weeksAgo * WEEK + 10 * 3_600_000);
}
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The Demand page's series with their actuals, from a real, migrated PostgreSQL. */
describe('ForecastsRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let events = 0;
  let organisations = 0;

  const organisation = (name: string, region: string) =>
    insertDispenser(db, name, region, 40 + organisations++);
  async function dispense(orgId: string, time: Date, gtin: string, packs = 1, bizStep = 'dispensing') {
    const n = ++events;
    const epcs = Array.from({ length: packs }, (_, i) => `urn:epc:id:test:${n}.${i}`);
    await insertPackEvent(db, { hash: numberedHash(n), orgId, time, gtin, epcs, bizStep });
  }

  async function forecast(gtin: string, region: string): Promise<void> {
    for (let h = 1; h <= 2; h++)
      await db.query(
        `INSERT INTO forecasts (series_id, gtin, region, period_start, horizon, p50, p10, p90, p2_5, p97_5, method,
                                model_version)
         VALUES ($1, $2, $3, $4, $5, 3, 1, 5, 0, 7, 'tsb', 'v1')`,
        [`${gtin}|${region}`, gtin, region, day(monday(-h)), h],
      );
  }

  beforeAll(async () => {
    context = await createTestContext('forecast series', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const north = await organisation('Apotheke Nord', 'DE-N');
    const otherNorth = await organisation('Apotheke Hafen', 'DE-N');
    const south = await organisation('Apotheke Süd', 'DE-S');
    await dispense(north, monday(3), AMOXICILLIN);
    await dispense(otherNorth, monday(3), AMOXICILLIN, 2);
    await dispense(north, monday(1), AMOXICILLIN);
    await dispense(south, monday(2), AMOXICILLIN, 4);
    await dispense(south, monday(2), IBUPROFEN, 3);
    // Not demand: a delivery, and dispensing older than the page's 52 weeks.
    await dispense(north, monday(1), AMOXICILLIN, 5, 'receiving');
    await dispense(north, monday(60), AMOXICILLIN);
    await forecast(AMOXICILLIN, 'DE-N');
    await forecast(IBUPROFEN, 'DE-S');
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('gives each series its region’s packs dispensed per week of the last year', async () => {
    const series = await new ForecastsRepository(dataSource).series(undefined, undefined);
    const history = Object.fromEntries(series.map((s) => [s.seriesId, s.history]));
    expect(history).toEqual({
      [`${AMOXICILLIN}|DE-N`]: [
        { periodStart: day(monday(3)), value: 3 },
        { periodStart: day(monday(1)), value: 1 },
      ],
      [`${IBUPROFEN}|DE-S`]: [{ periodStart: day(monday(2)), value: 3 }],
    });
    expect(series.find((s) => s.gtin === IBUPROFEN)?.forecast.map((f) => f.horizon)).toEqual([1, 2]);
  });

  it('filters by product and region', async () => {
    const series = await new ForecastsRepository(dataSource).series(AMOXICILLIN, 'DE-N');
    expect(series.map((s) => s.seriesId)).toEqual([`${AMOXICILLIN}|DE-N`]);
    expect(series[0]!.history.map((h) => h.value)).toEqual([3, 1]);
  });
});
