import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type ModelCard, type StoredWeights, weightsHash } from '@pedigree/common';
import { MlModelsRepository } from '../models/ml-models.repository';
import { type ForecastRow, type ForecastRun, ForecastsRepository } from './forecasts.repository';

const WEIGHTS: StoredWeights = {
  topology: { selection: { method: 'auto' } },
  weightSpecs: [],
  weightData: Buffer.alloc(0),
};
const card = (version: string): ModelCard => ({
  v: 1,
  name: 'demand-forecaster',
  version,
  weightsHash: weightsHash(WEIGHTS),
  trainingSetHash: 'ab'.repeat(32),
  trainingItems: 2,
  trainingSource: { kind: 'dispensing-history' },
  codeVersion: 'pedigree@test',
  hyperParameters: { horizon: 2 },
  metrics: { series: 2 },
  trainedAt: version,
});
const run = (fields: Omit<ForecastRun, 'card' | 'weights'>): ForecastRun => ({
  ...fields,
  card: card(fields.version),
  weights: WEIGHTS,
});

function week(seriesId: string, horizon: number, periodStart: string): ForecastRow {
  const [gtin, region] = seriesId.split('|') as [string, string];
  return {
    seriesId,
    gtin,
    region,
    periodStart,
    horizon,
    p50: 10 * horizon,
    p10: 8,
    p90: 12.5,
    p025: 7,
    p975: 14,
  };
}

/**
 * The forecaster's writes against a real, migrated PostgreSQL: it consumes the request row the API leaves, and
 * publishes each run whole (the API serves the latest version of every series, so half a run must never show).
 */
describe('ForecastsRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: ForecastsRepository;

  beforeAll(async () => {
    context = await createTestContext('forecasts', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    repository = new ForecastsRepository(dataSource, new MlModelsRepository(dataSource, context.config));
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('takes the retrain request the API left, once, and leaves the other services’ state alone', async () => {
    expect(await repository.takeRetrainRequest()).toBe(false);
    await db.query(`INSERT INTO service_state (key, state) VALUES ('anomaly-detector', '\\x01')`);
    // The API's statement (apps/api/src/forecasts/forecasts.repository.ts), twice: still one request.
    for (let i = 0; i < 2; i++)
      await db.query(
        `INSERT INTO service_state (key, state) VALUES ('forecast-retrain-request', '') ON CONFLICT (key) DO UPDATE SET updated_at = now()`,
      );
    expect(await repository.takeRetrainRequest()).toBe(true);
    expect(await repository.takeRetrainRequest()).toBe(false);
    const { rows } = await db.query<{ key: string }>(`SELECT key FROM service_state ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(['anomaly-detector']);
  });

  it('publishes a run’s model row and every forecast row, tagged with the run’s method and version', async () => {
    await repository.publish(
      run({
        version: '2026-03-02T00:00:00.000Z',
        method: 'seasonal-naive',
        metadata: { reason: 'requested', series: 2, horizon: 2 },
        rows: [
          week('04012345123456|DE-N', 1, '2026-03-02'),
          week('04012345123456|DE-N', 2, '2026-03-09'),
          week('04098765432109|DE-S', 1, '2026-02-23'),
        ],
      }),
    );
    const model = await db.query(
      `SELECT metadata, topology, weight_specs, length(weight_data) AS bytes FROM ml_models
        WHERE name = 'demand-forecaster' AND version = '2026-03-02T00:00:00.000Z'`,
    );
    const expectedMetadata: unknown = expect.objectContaining({
      reason: 'requested',
      series: 2,
      horizon: 2,
      card: card('2026-03-02T00:00:00.000Z'),
    });
    expect(model.rows).toEqual([
      {
        metadata: expectedMetadata,
        topology: WEIGHTS.topology,
        weight_specs: [],
        bytes: 0,
      },
    ]);
    // The card goes to the ledger for anchoring in the same transaction.
    const outbox = await db.query<{ payload: { name: string; version: string } }>(
      `SELECT payload FROM ledger_outbox WHERE kind = 'model'`,
    );
    expect(outbox.rows.map((r) => r.payload)).toEqual([
      expect.objectContaining({ name: 'demand-forecaster', version: '2026-03-02T00:00:00.000Z' }),
    ]);
    const forecasts = await db.query(
      `SELECT series_id, gtin, region, pharmacy, to_char(period_start, 'YYYY-MM-DD') AS period_start, horizon,
              p50, p10, p90, p2_5, p97_5, method, model_version
         FROM forecasts ORDER BY series_id, horizon`,
    );
    expect(forecasts.rows).toEqual(
      [
        ['04012345123456', 'DE-N', '2026-03-02', 1, 10],
        ['04012345123456', 'DE-N', '2026-03-09', 2, 20],
        ['04098765432109', 'DE-S', '2026-02-23', 1, 10],
      ].map(([gtin, region, periodStart, horizon, p50]) => ({
        series_id: `${gtin}|${region}`,
        gtin,
        region,
        pharmacy: null,
        period_start: periodStart,
        horizon,
        p50,
        p10: 8,
        p90: 12.5,
        p2_5: 7,
        p97_5: 14,
        method: 'seasonal-naive',
        model_version: '2026-03-02T00:00:00.000Z',
      })),
    );
  });

  it('publishes nothing of a run that fails half-way', async () => {
    const version = '2026-03-09T00:00:00.000Z';
    // The same week twice breaks the unique (series, version, week) index after the model row was written.
    const duplicate = week('04012345123456|DE-N', 1, '2026-03-16');
    await expect(
      repository.publish(run({ version, method: 'global', metadata: {}, rows: [duplicate, duplicate] })),
    ).rejects.toThrow(/idx_forecasts_series/);
    const models = await db.query(`SELECT 1 FROM ml_models WHERE version = $1`, [version]);
    const forecasts = await db.query(`SELECT 1 FROM forecasts WHERE model_version = $1`, [version]);
    expect([models.rowCount, forecasts.rowCount]).toEqual([0, 0]);
  });
});
