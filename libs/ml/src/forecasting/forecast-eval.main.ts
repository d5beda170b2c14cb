/**
 * Command line for the forecast evaluation (what `npm run eval:forecast` runs):
 *   node dist/libs/ml/src/forecasting/forecast-eval.main.js [--seed 42] [--datasets mixed,tiny] [--out bench/results]
 * Prints progress and the markdown report; exits non-zero when a goal is missed only with --strict.
 */
import { readFileSync } from 'node:fs';
import { DEMAND_PRESETS, type DemandPresetName } from '../simulator/demand';
import { type ForecastEvaluationOptions, runForecastEvaluation } from './forecast-eval';

export function parseForecastEvalArguments(
  argv: readonly string[],
): ForecastEvaluationOptions & { strict: boolean } {
  const options: ForecastEvaluationOptions & { strict: boolean } = { seed: 42, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--seed') {
      const seed = Number(value());
      if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
      options.seed = seed;
    } else if (arg === '--out') options.outDir = value();
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--datasets') {
      const names = value().split(',');
      const known = Object.keys(DEMAND_PRESETS);
      const unknown = names.filter((n) => !known.includes(n));
      if (unknown.length > 0)
        throw new Error(`--datasets: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
      options.datasets = names as DemandPresetName[];
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const { strict, ...options } = parseForecastEvalArguments(process.argv.slice(2));
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runForecastEvaluation({ ...options, logger: (m) => write(`[forecast-eval] ${m}`) });
  write(readFileSync(result.files.markdown, 'utf8'));
  const missed = Object.entries(result.goals).filter(([, met]) => met === false);
  if (strict && missed.length > 0) {
    write(`goals missed: ${missed.map(([name]) => name).join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
