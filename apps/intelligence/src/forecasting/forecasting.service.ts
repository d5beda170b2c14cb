import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { counter, gauge } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { addPeriods, createBaselines, GlobalModelForecaster, ModelSelectionForecaster } from '@pedigree/ml';
import { DataSource } from 'typeorm';
import { DemandHistoryRepository } from './demand-history.repository';

const runs = counter('pedigree_intelligence_forecast_runs_total', 'forecast trainings by outcome', [
  'outcome',
]);
const lastTraining = gauge(
  'pedigree_intelligence_forecast_training_seconds',
  'duration of the last forecast training',
);

const HORIZON = 8;
const MIN_WEEKS = 16;

/**
 * Demand forecasts for planners: the global TF.js model with the baselines as fallbacks (chosen per group on a
 * validation window, never on the future), trained on the dispensing history, on a schedule and on request (a row
 * the API writes); every run's model and forecasts are saved with their metadata and version.
 */
@Injectable()
export class ForecastingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ForecastingService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastRun = 0;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly history: DemandHistoryRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    // Checks every 10 s for a request from the API; trains on the schedule too.
    this.timer = setInterval(() => void this.maybeTrain(), 10_000);
  }

  private async maybeTrain(): Promise<void> {
    if (this.running) return;
    const interval = this.config.forecastRetrainIntervalMinutes * 60_000;
    const requested = await this.takeRequest().catch(() => false);
    const due = interval > 0 && Date.now() - this.lastRun >= interval;
    if (!requested && !due) return;
    this.running = this.train(requested ? 'requested' : 'scheduled').finally(() => {
      this.running = undefined;
      this.lastRun = Date.now();
    });
    await this.running;
  }

  /** Consumes a retrain request the API left (POST /v1/forecasts/retrain). */
  private async takeRequest(): Promise<boolean> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM service_state WHERE key = 'forecast-retrain-request'`,
    );
    return deleted > 0;
  }

  async train(reason: string): Promise<void> {
    const started = Date.now();
    try {
      const series = await this.history.weeklySeries(MIN_WEEKS);
      if (series.length === 0) {
        this.logger.log(
          `no GTIN × region series with ${MIN_WEEKS}+ weeks of dispensing yet; nothing to forecast`,
        );
        runs.inc({ outcome: 'no-data' });
        return;
      }
      const baselines = createBaselines();
      const global = new GlobalModelForecaster({});
      const auto = new ModelSelectionForecaster({ candidates: [global, ...baselines], primary: global });
      const fitted = await auto.fit(series, { horizon: HORIZON, seasonPeriod: 52, seed: 1 });
      const forecasts = await fitted.forecast(series, HORIZON);
      const version = `${new Date().toISOString()}`;
      const method = (fitted.info?.chosen as string | undefined) ?? fitted.method;
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO ml_models (name, version, metadata, topology, weight_specs, weight_data) VALUES ('demand-forecaster', $1, $2, '{}', '[]', '')`,
          [
            version,
            JSON.stringify({
              reason,
              method: fitted.method,
              info: fitted.info ?? {},
              series: series.length,
              dataWindow: {
                start: series.map((s) => s.start).sort()[0],
                end: addPeriods(series[0]!.start, series[0]!.values.length - 1, 'weekly'),
              },
              horizon: HORIZON,
              trainingSeconds: (Date.now() - started) / 1000,
            }),
          ],
        );
        const rows = forecasts.flatMap((forecast) => {
          const s = series.find((x) => x.id === forecast.id)!;
          return forecast.point.map((p50, h) => ({
            seriesId: s.id,
            gtin: s.gtin,
            region: s.region,
            periodStart: addPeriods(s.start, s.values.length + h, 'weekly'),
            horizon: h + 1,
            p50: forecast.quantiles[0.5][h] ?? p50,
            p10: forecast.quantiles[0.1][h]!,
            p90: forecast.quantiles[0.9][h]!,
            p025: forecast.quantiles[0.025][h]!,
            p975: forecast.quantiles[0.975][h]!,
          }));
        });
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
            method,
            version,
          ],
        );
      });
      const seconds = (Date.now() - started) / 1000;
      lastTraining.set(seconds);
      runs.inc({ outcome: 'trained' });
      this.logger.log(
        `forecasts ${version}: ${series.length} series, ${HORIZON} weeks ahead, ${method}, trained in ${seconds.toFixed(1)} s (${reason})`,
      );
    } catch (error) {
      runs.inc({ outcome: 'failed' });
      this.logger.error({ err: error }, 'forecast training failed; the previous forecasts stay published');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
