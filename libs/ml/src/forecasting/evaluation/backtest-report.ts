/**
 * The backtest behind `pedigree forecast backtest --input series.csv`: parse the CSV, run every baseline,
 * the global model and model selection through the same rolling-origin backtest, and render the result
 * as a plain-text table.
 */
import { BASELINE_NAMES, createBaselines, type BaselineName } from '../baselines/baselines';
import type { Frequency } from '../core/calendar';
import { ForecastInputError } from '../core/forecast.errors';
import type { Forecaster } from '../core/forecast.types';
import { GlobalModelForecaster, type GlobalModelOptions } from '../global/global-model.forecaster';
import { parseSeriesCsv, type ParseSeriesCsvOptions } from '../input/series-csv.parser';
import { ModelSelectionForecaster, type ModelSelectionOptions } from '../selection/model-selection';
import { backtest, type BacktestOptions, type BacktestResult, type MethodScore } from './backtest';

/** Default horizon per frequency: about two months of weekly data, a quarter of monthly data, … */
export const DEFAULT_HORIZON: Readonly<Record<Frequency, number>> = {
  daily: 14,
  weekly: 8,
  monthly: 6,
  quarterly: 4,
  yearly: 2,
};

export interface BacktestReportOptions extends ParseSeriesCsvOptions {
  horizon?: number;
  origins?: number;
  /** Periods between origins (default: the horizon, so test windows do not overlap). */
  step?: number;
  /** Baselines to run (default: all). */
  baselines?: readonly BaselineName[];
  /** Global model options, or false to run baselines only (then there is no model selection either). */
  global?: GlobalModelOptions | false;
  selection?: Pick<ModelSelectionOptions, 'margin' | 'groupBy' | 'minGroupSize'>;
  seed?: number;
  onProgress?: BacktestOptions['onProgress'];
}

export interface BacktestReport {
  input: {
    series: number;
    frequency: Frequency;
    frequencySource: 'declared' | 'inferred';
    seasonPeriod: number;
    filledPeriods: number;
    shortestSeries: number;
    longestSeries: number;
  };
  settings: { horizon: number; origins: number; step: number; seed: number };
  /** How MASE is scaled, spelled out for the reader of the table. */
  scaling: string;
  methods: MethodScore[];
  bestBaseline: { method: string; mase: number };
  /** Relative MASE improvement of each non-baseline method over the best baseline (positive = better). */
  improvement: Record<string, number>;
  result: BacktestResult;
}

export async function runBacktestReport(
  csvText: string,
  options: BacktestReportOptions = {},
): Promise<BacktestReport> {
  const parsed = parseSeriesCsv(csvText, options);
  const horizon = options.horizon ?? DEFAULT_HORIZON[parsed.frequency];
  const origins = options.origins ?? 4;
  const step = options.step ?? horizon;
  const seed = options.seed ?? 1;
  if (
    !Number.isInteger(horizon) ||
    horizon < 1 ||
    !Number.isInteger(origins) ||
    origins < 1 ||
    !Number.isInteger(step) ||
    step < 1
  ) {
    throw new ForecastInputError('BAD_OPTION', 'horizon, origins and step must be positive integers');
  }
  const unknown = (options.baselines ?? []).filter((name) => !BASELINE_NAMES.includes(name));
  if (unknown.length) {
    throw new ForecastInputError(
      'BAD_OPTION',
      `Unknown baseline(s) ${unknown.join(', ')}; known: ${BASELINE_NAMES.join(', ')}`,
    );
  }
  const baselines = createBaselines(options.baselines ?? BASELINE_NAMES);
  const methods: Forecaster[] = [...baselines];
  if (options.global !== false) {
    const global = new GlobalModelForecaster(options.global ?? {});
    methods.push(
      global,
      new ModelSelectionForecaster({
        ...options.selection,
        candidates: [global, ...baselines],
        primary: global,
      }),
    );
  }
  const result = await backtest(parsed.series, methods, {
    horizon,
    origins,
    step,
    seasonPeriod: parsed.seasonPeriod,
    seed,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const lengths = parsed.series.map((s) => s.values.length);
  return {
    input: {
      series: parsed.series.length,
      frequency: parsed.frequency,
      frequencySource: parsed.frequencySource,
      seasonPeriod: parsed.seasonPeriod,
      filledPeriods: parsed.filledPeriods,
      shortestSeries: Math.min(...lengths),
      longestSeries: Math.max(...lengths),
    },
    settings: { horizon, origins, step, seed },
    ...summarise(
      result,
      baselines.map((b) => b.name),
    ),
    result,
  };
}

/** Best baseline and the relative improvement of every other method over it. */
export function summarise(
  result: BacktestResult,
  baselineNames: readonly string[],
): Pick<BacktestReport, 'scaling' | 'methods' | 'bestBaseline' | 'improvement'> {
  const baselineRows = result.methods.filter(
    (m) => baselineNames.includes(m.method) && Number.isFinite(m.mase),
  );
  const best = baselineRows.reduce<MethodScore | undefined>(
    (a, b) => (!a || b.mase < a.mase ? b : a),
    undefined,
  );
  const improvement: Record<string, number> = {};
  if (best) {
    for (const m of result.methods) {
      if (!baselineNames.includes(m.method)) improvement[m.method] = 1 - m.mase / best.mase;
    }
  }
  return {
    scaling:
      result.seasonPeriod > 1
        ? `MASE is scaled by the in-sample MAE of the seasonal naive method (lag ${result.seasonPeriod}) on each history before its origin.`
        : 'MASE is scaled by the in-sample MAE of the naive method (lag 1) on each history before its origin.',
    methods: result.methods,
    bestBaseline: best ? { method: best.method, mase: best.mase } : { method: 'none', mase: Number.NaN },
    improvement,
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** Renders a report as an aligned plain-text table (no colours, safe to pipe). */
export function formatBacktestTable(
  report: Pick<BacktestReport, 'scaling' | 'methods' | 'bestBaseline' | 'improvement'> & {
    input?: Partial<BacktestReport['input']>;
    settings?: Partial<BacktestReport['settings']>;
  },
): string {
  const lines: string[] = [];
  const { input, settings } = report;
  if (input?.series !== undefined) {
    lines.push(
      `Backtest of ${input.series} series, ${input.frequency ?? '?'} (season ${input.seasonPeriod ?? '?'}), ` +
        `horizon ${settings?.horizon ?? '?'}, ${settings?.origins ?? '?'} origins every ${settings?.step ?? '?'} periods`,
    );
  }
  lines.push(report.scaling, '');
  const horizons = Math.max(0, ...report.methods.map((m) => m.maseByHorizon.length));
  const header = [
    'method',
    'MASE',
    'sMAPE',
    'cov80',
    'cov95',
    ...Array.from({ length: horizons }, (_, h) => `h${h + 1}`),
    'seconds',
  ];
  const rows = report.methods.map((m) => [
    m.method,
    num(m.mase),
    `${m.smape.toFixed(1)}`,
    pct(m.coverage80),
    pct(m.coverage95),
    ...m.maseByHorizon.map(num),
    m.seconds.toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ');
  lines.push(render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render), '');
  lines.push(
    'sMAPE in percent (0-200); cov80/cov95: share of actuals inside the 80% / 95% prediction intervals.',
  );
  lines.push(`Best baseline: ${report.bestBaseline.method} (MASE ${num(report.bestBaseline.mase)}).`);
  for (const [method, gain] of Object.entries(report.improvement)) {
    lines.push(
      `${method}: ${gain >= 0 ? `${pct(gain)} better` : `${pct(-gain)} worse`} than the best baseline.`,
    );
  }
  for (const m of report.methods) {
    if (m.chosen?.length) {
      lines.push(`${m.method} chose, per origin: ${m.chosen.map((c, i) => `[${i + 1}] ${c}`).join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
