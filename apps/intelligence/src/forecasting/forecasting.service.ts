import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { counter, gauge } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  addPeriods,
  createBaselines,
  type FittedForecaster,
  GlobalModelForecaster,
  ModelSelectionForecaster,
  type SeriesForecast,
} from '@pedigree/ml';
import { type DemandSeries, DemandHistoryRepository } from './demand-history.repository';
import { forecasterCard, forecasterWeights, trainingSeriesOf } from './forecaster-card';
import { type ForecastRow, ForecastsRepository } from './forecasts.repository';

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
    private readonly forecasts: ForecastsRepository,
  ) {}

  onApplicationBootstrap(): void {
    // Checks every 10 s for a request from the API; trains on the schedule too.
    this.timer = setInterval(() => void this.maybeTrain(), 10_000);
  }

  private async maybeTrain(): Promise<void> {
    if (this.running) return;
    const interval = this.config.forecastRetrainIntervalMinutes * 60_000;
    const requested = await this.forecasts.takeRetrainRequest().catch(() => false);
    const due = interval > 0 && Date.now() - this.lastRun >= interval;
    if (!requested && !due) return;
    this.running = this.train(requested ? 'requested' : 'scheduled').finally(() => {
      this.running = undefined;
      this.lastRun = Date.now();
    });
    await this.running;
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
      const trainingSeries = trainingSeriesOf(series);
      const weights = await forecasterWeights(fitted);
      const card = forecasterCard({
        version,
        weights,
        series: trainingSeries,
        fitted,
        hyperParameters: { horizon: HORIZON, seasonPeriod: 52, seed: 1, candidates: auto.name },
        minWeeks: MIN_WEEKS,
      });
      await this.forecasts.publish({
        version,
        method,
        // The training set is kept with the model, so `pedigree audit model` can recompute its hash.
        metadata: { ...runMetadata(reason, fitted, series, started), trainingSeries },
        rows: forecastRows(series, forecasts),
        card,
        weights,
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

/** What a run's model row says about it: why it ran, what it chose, on which data, and how long it took. */
function runMetadata(
  reason: string,
  fitted: FittedForecaster,
  series: DemandSeries[],
  started: number,
): Record<string, unknown> {
  return {
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
  };
}

/** One row per series and week ahead, dated from the week after the series' last observed one. */
function forecastRows(series: DemandSeries[], forecasts: SeriesForecast[]): ForecastRow[] {
  return forecasts.flatMap((forecast) => {
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
}
