import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ModelCard, StoredWeights } from '@pedigree/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MlModelsRepository } from '../models/ml-models.repository';

/** One week of one series' published forecast, as a `forecasts` row holds it (the API reads these rows). */
export interface ForecastRow {
  seriesId: string;
  gtin: string;
  region: string;
  /** ISO date (YYYY-MM-DD) of the forecast week's Monday. */
  periodStart: string;
  /** Weeks ahead of the last observed week, from 1. */
  horizon: number;
  p50: number;
  p10: number;
  p90: number;
  p025: number;
  p975: number;
}

/** What one training run publishes: its model row and every forecast it made. */
export interface ForecastRun {
  /** Names the run: the model row's version and each forecast's `model_version`. */
  version: string;
  /** The method the forecasts came from (the one model selection chose). */
  method: string;
  metadata: Record<string, unknown>;
  rows: ForecastRow[];
  /** The run's card (anchored by the ledger) and the stored artefact it describes. */
  card: ModelCard;
  weights: StoredWeights;
}

/** The forecaster's side of the forecasts: retrain requests the API leaves, and each run's published output. */
@Injectable()
export class ForecastsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly models: MlModelsRepository,
  ) {}

  /** Consumes a retrain request the API left (POST /v1/forecasts/retrain); true when there was one. */
  async takeRetrainRequest(): Promise<boolean> {
    // The postgres driver answers a DELETE with [rows, affected row count].
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM service_state WHERE key = 'forecast-retrain-request'`,
    );
    return deleted > 0;
  }

  /**
   * Publishes a run in one transaction: the API serves the latest version of each series, so a run must appear
   * whole, its model row (with its card, sent to the ledger for anchoring) and all its forecasts, or not at all.
   */
  async publish(run: ForecastRun): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.models.save(run.card, run.weights, run.metadata, manager);
      await this.insertForecasts(manager, run);
    });
  }

  /** One statement for the whole run: one array parameter per column, however many rows. */
  private async insertForecasts(manager: EntityManager, run: ForecastRun): Promise<void> {
    const { rows } = run;
    await manager.query(
      `INSERT INTO forecasts (series_id, gtin, region, period_start, horizon, p50, p10, p90, p2_5, p97_5, method, model_version)
       SELECT *, $11, $12 FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[], $6::float8[], $7::float8[],
                                  $8::float8[], $9::float8[], $10::float8[])`,
      [
        rows.map((r) => r.seriesId),
        rows.map((r) => r.gtin),
        rows.map((r) => r.region),
        rows.map((r) => r.periodStart),
        rows.map((r) => r.horizon),
        rows.map((r) => r.p50),
        rows.map((r) => r.p10),
        rows.map((r) => r.p90),
        rows.map((r) => r.p025),
        rows.map((r) => r.p975),
        run.method,
        run.version,
      ],
    );
  }
}
