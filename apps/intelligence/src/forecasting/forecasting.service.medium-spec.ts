import { loadConfig } from '@pedigree/config';
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
import { DemandHistoryRepository } from './demand-history.repository';
import { ForecastingService } from './forecasting.service';
import { ForecastsRepository } from './forecasts.repository';
import { MlModelsRepository } from '../models/ml-models.repository';
import { checkModelCard, type ModelCard } from '@pedigree/common';

const GTIN = '04012345123456';

/** What the API reads of a published forecast week. */
interface PublishedWeek {
  series_id: string;
  horizon: number;
  week: string;
  p2_5: number;
  p10: number;
  p50: number;
  p90: number;
  p97_5: number;
  method: string;
  model_version: string;
}

/**
 * A whole training run against a real, migrated PostgreSQL: twenty weeks of dispensing in, the run's model row and
 * eight weeks of quantile forecasts out, as the API then serves them.
 */
describe('ForecastingService (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;

  beforeAll(async () => {
    context = await createTestContext('forecasting', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const orgId = await insertDispenser(db, 'Apotheke', 'DE-N', 1);
    // Weeks from Monday 5 January 2026: 3 to 7 packs, one event each.
    for (let week = 0; week < 20; week++)
      for (let i = 0; i < 3 + (week % 5); i++) {
        const time = new Date(Date.UTC(2026, 0, 5 + week * 7, 10));
        const epcs = [`urn:epc:id:sgtin:4012345.012345.W${week}N${i}`];
        await insertPackEvent(db, { hash: numberedHash(week * 100 + i + 1), orgId, time, gtin: GTIN, epcs });
      }
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('publishes the run’s model row and eight weeks of forecasts for each series', async () => {
    const config = loadConfig('intelligence', context.env);
    const service = new ForecastingService(
      config,
      new DemandHistoryRepository(dataSource),
      new ForecastsRepository(dataSource, new MlModelsRepository(dataSource, config)),
    );
    await service.train('requested');
    const models = await db.query<{ version: string; metadata: Record<string, unknown> }>(
      `SELECT version, metadata FROM ml_models WHERE name = 'demand-forecaster'`,
    );
    expect(models.rows).toHaveLength(1);
    expect(models.rows[0]!.metadata).toMatchObject({
      reason: 'requested',
      series: 1,
      horizon: 8,
      dataWindow: { start: '2026-01-05', end: '2026-05-18' },
    });
    const forecasts = await db.query<PublishedWeek>(
      `SELECT series_id, horizon, to_char(period_start, 'YYYY-MM-DD') AS week, p2_5, p10, p50, p90, p97_5, method, model_version
         FROM forecasts ORDER BY horizon`,
    );
    expect(forecasts.rows.map((r) => [r.series_id, r.horizon, r.week])).toEqual(
      Array.from({ length: 8 }, (_, h) => [
        `${GTIN}|DE-N`,
        h + 1,
        new Date(Date.UTC(2026, 0, 5 + (20 + h) * 7)).toISOString().slice(0, 10),
      ]),
    );
    // The run's card: its hashes are those of the stored artefact and training set, and it goes to the ledger.
    const stored = await db.query<{
      metadata: { card: ModelCard; trainingSeries: unknown[] };
      topology: object;
      weight_specs: unknown[];
      weight_data: Buffer;
    }>(
      `SELECT metadata, topology, weight_specs, weight_data FROM ml_models WHERE name = 'demand-forecaster'`,
    );
    const { card, trainingSeries } = stored.rows[0]!.metadata;
    expect(card).toMatchObject({
      name: 'demand-forecaster',
      version: models.rows[0]!.version,
      trainingItems: 1,
    });
    // What the forecasts follow: model selection's decisions (and the global model's networks when it was fitted).
    expect(stored.rows[0]!.topology).toHaveProperty('selection.decisions');
    expect(
      checkModelCard(card, {
        weights: {
          topology: stored.rows[0]!.topology,
          weightSpecs: stored.rows[0]!.weight_specs,
          weightData: stored.rows[0]!.weight_data,
        },
        trainingSet: trainingSeries,
      }),
    ).toEqual([]);
    const outbox = await db.query(`SELECT 1 FROM ledger_outbox WHERE kind = 'model'`);
    expect(outbox.rowCount).toBe(1);
    // The method model selection chose for the series, as the run's metadata reports it.
    const { info, method } = models.rows[0]!.metadata as { info: { chosen?: string }; method: string };
    for (const r of forecasts.rows) {
      expect([r.method, r.model_version]).toEqual([info.chosen ?? method, models.rows[0]!.version]);
      expect(r.p2_5).toBeLessThanOrEqual(r.p10);
      expect(r.p10).toBeLessThanOrEqual(r.p50);
      expect(r.p50).toBeLessThanOrEqual(r.p90);
      expect(r.p90).toBeLessThanOrEqual(r.p97_5);
    }
  });
});
