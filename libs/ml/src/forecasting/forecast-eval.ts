/**
 * Forecast evaluation (`npm run eval:forecast`): generates differently shaped demand data sets with the
 * seeded simulator, backtests every baseline, the global model and model selection on each, times the
 * global model's training on the demo data set, checks the goals, and writes
 * `<outDir>/forecast-eval.json` and `<outDir>/forecast-eval.md`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BASELINE_NAMES, createBaselines } from './baselines/baselines';
import type { TimeSeries } from './core/forecast.types';
import { backtest, type BacktestResult } from './evaluation/backtest';
import { formatBacktestTable, summarise, type BacktestReport } from './evaluation/backtest-report';
import { GlobalModelForecaster, type GlobalModelOptions } from './global/global-model.forecaster';
import { ModelSelectionForecaster, pairedComparison } from './selection/model-selection';
import { DEMAND_PRESETS, generateDemand, type DemandPresetName } from '../simulator/demand';
import type { DemandSeries } from '../simulator/demand/demand.types';

export interface ForecastEvaluationOptions {
  seed: number;
  /** Directory for forecast-eval.json / .md (default bench/results). */
  outDir?: string;
  /** Progress lines (the library itself never logs). */
  logger?: (line: string) => void;
  /** Subset of data sets (default: all). */
  datasets?: readonly DemandPresetName[];
  /** Global model options (the defaults are what the goals are measured with). */
  global?: GlobalModelOptions;
}

interface DatasetPlan {
  name: DemandPresetName;
  description: string;
  horizon: number;
  origins: number;
  step: number;
}

/** Six origins eight weeks apart cover most of the last year, so every season is in some test window. */
const DATASETS: readonly DatasetPlan[] = [
  {
    name: 'mixed',
    description: 'GTIN × region and GTIN × pharmacy, 3 years, all event types (the main data set)',
    horizon: 8,
    origins: 6,
    step: 8,
  },
  {
    name: 'smooth-seasonal',
    description: 'High-volume GTIN × region series with strong yearly seasonality, 3 years',
    horizon: 8,
    origins: 6,
    step: 8,
  },
  {
    name: 'intermittent',
    description: 'GTIN × pharmacy only, mostly zero weeks, 3 years',
    horizon: 8,
    origins: 6,
    step: 8,
  },
  { name: 'tiny', description: 'Five GTIN × region series, 2 years', horizon: 8, origins: 6, step: 8 },
  {
    name: 'demo',
    description: 'About 200 series over 2 years (the demo data set)',
    horizon: 8,
    origins: 6,
    step: 8,
  },
];

export interface DatasetEvaluation {
  name: string;
  description: string;
  series: number;
  periods: { shortest: number; longest: number };
  intermittentShare: number;
  report: Pick<BacktestReport, 'scaling' | 'methods' | 'bestBaseline' | 'improvement'>;
  settings: { horizon: number; origins: number; step: number };
  /**
   * Paired comparison with the best baseline over all (series, origin) test forecasts: relative MASE
   * difference and t statistic (|t| < 2: the difference is within noise).
   */
  versusBestBaseline: Record<string, { relative: number; t: number; pairs: number }>;
  goals: {
    /** The selected forecaster's MASE is not above the best baseline's. */
    selectionNotWorse: boolean;
    /** The global model's coverage is within ±5 points of 80% and 95%. */
    globalCoverageOk: boolean;
    selectionCoverageOk: boolean;
  };
  seconds: number;
}

export interface ForecastEvaluationResult {
  seed: number;
  generatedAt: string;
  backend: string;
  datasets: DatasetEvaluation[];
  training: {
    dataset: string;
    series: number;
    weeks: number;
    seconds: number;
    backend: string;
    trainingWindows: number;
    ensemble: number;
    withinBudget: boolean;
  };
  goals: {
    mainDataset: string;
    globalImprovementOnMain: number;
    globalImprovementOk: boolean;
    selectionNeverWorse: boolean;
    /** Global model's 80% / 95% coverage within ±5 points on every data set. */
    globalCoverageOk: boolean;
    /** Same for the selected forecaster (whatever it chose). */
    coverageOk: boolean;
    trainingUnderTwoMinutes: boolean;
  };
  files: { json: string; markdown: string };
}

function toTimeSeries(series: readonly DemandSeries[]): TimeSeries[] {
  return series.map((s) => ({
    id: s.id,
    start: s.start,
    frequency: s.frequency,
    values: s.values,
    kind: s.kind,
    group: s.gtin,
  }));
}

const within = (value: number, target: number, tolerance = 0.05) =>
  Math.abs(value - target) <= tolerance + 1e-9;

export async function runForecastEvaluation(
  options: ForecastEvaluationOptions,
): Promise<ForecastEvaluationResult> {
  const log = options.logger ?? (() => undefined);
  const outDir = options.outDir ?? join(process.cwd(), 'bench', 'results');
  const selected = DATASETS.filter((d) => !options.datasets || options.datasets.includes(d.name));
  const datasets: DatasetEvaluation[] = [];
  let backend = 'unknown';

  for (const plan of selected) {
    const started = Date.now();
    const generated = generateDemand(DEMAND_PRESETS[plan.name], options.seed);
    const series = toTimeSeries(generated.series);
    const baselines = createBaselines();
    const global = new GlobalModelForecaster(options.global ?? {});
    const auto = new ModelSelectionForecaster({ candidates: [global, ...baselines], primary: global });
    log(
      `[${plan.name}] ${series.length} series, backtest h=${plan.horizon}, ${plan.origins} origins every ${plan.step}`,
    );
    const result: BacktestResult = await backtest(series, [...baselines, global, auto], {
      horizon: plan.horizon,
      origins: plan.origins,
      step: plan.step,
      seasonPeriod: 52,
      seed: options.seed,
      onProgress: (e) =>
        log(`[${plan.name}] origin ${e.origin}/${e.origins} ${e.method} ${e.seconds.toFixed(1)}s`),
      keepErrors: true,
    });
    const byName = new Map(result.methods.map((m) => [m.method, m]));
    const g = byName.get(global.name);
    const a = byName.get(auto.name);
    const best = summarise(result, BASELINE_NAMES).bestBaseline;
    const paired = (method: string) => {
      const x = byName.get(method)?.errors ?? [];
      const y = byName.get(best.method)?.errors ?? [];
      const keep = x.map((_, i) => i).filter((i) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
      const test = pairedComparison(
        keep.map((i) => x[i] as number),
        keep.map((i) => y[i] as number),
      );
      return { relative: test.relative, t: test.t, pairs: test.series };
    };
    const significance = { [global.name]: paired(global.name), [auto.name]: paired(auto.name) };
    // The per-forecast errors served the paired tests; the report keeps only the summaries.
    const report = summarise(
      { ...result, methods: result.methods.map(({ errors: _errors, ...rest }) => rest) },
      BASELINE_NAMES,
    );
    const lengths = series.map((s) => s.values.length);
    const intermittent = series.filter(
      (s) => s.values.filter((v) => v === 0).length / s.values.length > 0.25,
    ).length;
    const evaluation: DatasetEvaluation = {
      name: plan.name,
      description: plan.description,
      series: series.length,
      periods: { shortest: Math.min(...lengths), longest: Math.max(...lengths) },
      intermittentShare: intermittent / series.length,
      report,
      settings: { horizon: plan.horizon, origins: plan.origins, step: plan.step },
      versusBestBaseline: significance,
      goals: {
        selectionNotWorse: a !== undefined && a.mase <= report.bestBaseline.mase + 1e-12,
        globalCoverageOk: g !== undefined && within(g.coverage80, 0.8) && within(g.coverage95, 0.95),
        selectionCoverageOk: a !== undefined && within(a.coverage80, 0.8) && within(a.coverage95, 0.95),
      },
      seconds: (Date.now() - started) / 1000,
    };
    datasets.push(evaluation);
    log(formatBacktestTable(report));
  }

  // Training time on the demo data set: one fit on the full two years, as a user would run it.
  const demo = generateDemand(DEMAND_PRESETS.demo, options.seed);
  const demoSeries = toTimeSeries(demo.series);
  const fitted = await new GlobalModelForecaster(options.global ?? {}).fit(demoSeries, {
    horizon: 8,
    seasonPeriod: 52,
    seed: options.seed,
  });
  backend = fitted.metadata.backend;
  const training = {
    dataset: 'demo',
    series: demoSeries.length,
    weeks: DEMAND_PRESETS.demo.weeks,
    seconds: fitted.metadata.trainingSeconds,
    backend,
    trainingWindows: fitted.metadata.metrics.trainingWindows ?? 0,
    ensemble: fitted.metadata.options.ensemble,
    withinBudget: fitted.metadata.trainingSeconds < 120,
  };
  fitted.dispose();
  log(
    `[training] demo: ${training.seconds.toFixed(1)} s on ${backend} (${training.trainingWindows} windows)`,
  );

  const main = datasets.find((d) => d.name === 'mixed') ?? datasets[0];
  const mainGain = main?.report.improvement['global-mlp'] ?? Number.NaN;
  const files = { json: join(outDir, 'forecast-eval.json'), markdown: join(outDir, 'forecast-eval.md') };
  const result: ForecastEvaluationResult = {
    seed: options.seed,
    generatedAt: new Date().toISOString(),
    backend,
    datasets,
    training,
    goals: {
      mainDataset: main?.name ?? 'none',
      globalImprovementOnMain: mainGain,
      globalImprovementOk: mainGain >= 0.1,
      selectionNeverWorse: datasets.every((d) => d.goals.selectionNotWorse),
      globalCoverageOk: datasets.every((d) => d.goals.globalCoverageOk),
      coverageOk: datasets.every((d) => d.goals.selectionCoverageOk),
      trainingUnderTwoMinutes: training.withinBudget,
    },
    files,
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(files.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(result));
  return result;
}

/** Seeds the model was developed on (reports on other seeds are out-of-sample for the design). */
export const DEVELOPMENT_SEEDS: readonly number[] = [7, 42];

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

export function renderMarkdown(result: ForecastEvaluationResult): string {
  const out: string[] = [
    '# Demand forecasting evaluation',
    '',
    `Seed ${result.seed}, backend ${result.backend}, generated ${result.generatedAt}.`,
    '',
    'Synthetic weekly demand from `generateDemand` (libs/ml/src/simulator/demand). Rolling-origin backtest,',
    'horizon 8 weeks; MASE is scaled by the in-sample MAE of the seasonal naive method (lag 52) on the history',
    'before each origin, averaged over series × origins. sMAPE in percent (0–200). Coverage: share of actuals',
    'inside the 80% / 95% prediction intervals. `auto` is model selection on an inner validation window (the',
    '8 weeks before each origin), never on the test window.',
    '',
    `Design choices and hyper-parameters were tuned on seeds ${DEVELOPMENT_SEEDS.join(' and ')}` +
      (DEVELOPMENT_SEEDS.includes(result.seed)
        ? '; this report uses one of them, so its figures are optimistic.'
        : '; this report uses a different seed.'),
    '',
    '## Goals',
    '',
    '| goal | result | met |',
    '|---|---|---|',
    `| Global model MASE ≥ 10% better than the best baseline (${result.goals.mainDataset}) | ${pct(result.goals.globalImprovementOnMain)} | ${yes(result.goals.globalImprovementOk)} |`,
    `| Selected forecaster never worse than the best baseline | ${result.datasets.map((d) => `${d.name}: ${d.goals.selectionNotWorse ? 'ok' : 'worse'}`).join(', ')} | ${yes(result.goals.selectionNeverWorse)} |`,
    `| 80% / 95% coverage within ±5 points (global model) | ${result.datasets.map((d) => `${d.name}: ${pct(d.report.methods.find((m) => m.method === 'global-mlp')?.coverage80 ?? Number.NaN)} / ${pct(d.report.methods.find((m) => m.method === 'global-mlp')?.coverage95 ?? Number.NaN)}`).join(', ')} | ${yes(result.goals.globalCoverageOk)} |`,
    `| 80% / 95% coverage within ±5 points (selected forecaster) | ${result.datasets.map((d) => `${d.name}: ${d.goals.selectionCoverageOk ? 'ok' : 'off'}`).join(', ')} | ${yes(result.goals.coverageOk)} |`,
    `| Training on the demo data set (${result.training.series} series × ${result.training.weeks} weeks) < 2 min | ${result.training.seconds.toFixed(1)} s on ${result.training.backend} | ${yes(result.goals.trainingUnderTwoMinutes)} |`,
    '',
  ];
  for (const d of result.datasets) {
    out.push(
      `## ${d.name}`,
      '',
      `${d.description}. ${d.series} series, ${d.periods.shortest}–${d.periods.longest} weeks, ` +
        `${pct(d.intermittentShare)} with more than a quarter zero weeks. ${d.settings.origins} origins every ` +
        `${d.settings.step} weeks, horizon ${d.settings.horizon}. Wall time ${d.seconds.toFixed(0)} s.`,
      '',
      '| method | MASE | sMAPE | cov80 | cov95 | MASE vs best baseline |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const m of d.report.methods) {
      const gain = d.report.improvement[m.method];
      const best = m.method === d.report.bestBaseline.method;
      out.push(
        `| ${best ? `**${m.method}** (best baseline)` : m.method} | ${num(m.mase)} | ${m.smape.toFixed(1)} | ${pct(m.coverage80)} | ${pct(m.coverage95)} | ${gain === undefined ? '' : `${pct(Math.abs(gain))} ${gain >= 0 ? 'better' : 'worse'}`} |`,
      );
    }
    const tests = Object.entries(d.versusBestBaseline)
      .map(
        ([method, v]) => `${method} ${v.relative <= 0 ? '' : '+'}${pct(v.relative)} (t = ${v.t.toFixed(1)})`,
      )
      .join(', ');
    out.push(
      '',
      `Paired over ${d.versusBestBaseline['auto']?.pairs ?? 0} (series, origin) forecasts against ${d.report.bestBaseline.method}: ${tests}; |t| < 2 is within noise.`,
    );
    const auto = d.report.methods.find((m) => m.chosen?.length);
    if (auto?.chosen) {
      out.push(
        '',
        `Chosen by \`${auto.method}\` per origin: ${auto.chosen.map((c, i) => `(${i + 1}) ${c}`).join('; ')}.`,
      );
    }
    const global = d.report.methods.find((m) => m.method === 'global-mlp');
    if (global) out.push('', `Global model MASE by horizon: ${global.maseByHorizon.map(num).join(', ')}.`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
