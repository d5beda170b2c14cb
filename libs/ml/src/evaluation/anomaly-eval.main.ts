/**
 * Command line for the anomaly evaluation (what `npm run eval:anomaly` runs):
 *   node dist/libs/ml/src/evaluation/anomaly-eval.main.js [--seed 2026] [--train-seed N] [--scale evaluation|demo|tiny]
 *        [--train-scale evaluation|demo|tiny] [--weeks N]
 *        [--start YYYY-MM-DD] [--inject cloned_serial=0.05,...]
 *        [--out bench/results] [--backend wasm|cpu] [--no-validate]
 * Prints progress and the markdown report; exits non-zero when a goal is missed only with --strict.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NetworkPresetName, parsePatternRates } from '../simulator/network/network.presets';
import type { TfBackendName } from '../tf/tf-runtime';
import { type AnomalyEvaluationOptions, repoRoot, runAnomalyEvaluation } from './anomaly-eval';

const PRESETS: readonly NetworkPresetName[] = ['tiny', 'evaluation', 'demo'];
const BACKENDS: readonly TfBackendName[] = ['wasm', 'cpu', 'tensorflow'];

export function parseArguments(argv: readonly string[]): AnomalyEvaluationOptions & { strict: boolean } {
  const options: AnomalyEvaluationOptions & { strict: boolean } = { strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--train-seed') options.trainSeed = Number(value());
    else if (arg === '--out') options.outDir = value();
    else if (arg === '--no-validate') options.validate = false;
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--weeks') options.weeks = Number(value());
    else if (arg === '--start') options.start = value();
    else if (arg === '--inject') options.inject = parsePatternRates(value());
    else if (arg === '--train-scale') {
      const scale = value() as NetworkPresetName;
      if (!PRESETS.includes(scale)) throw new Error(`--train-scale must be one of ${PRESETS.join(', ')}`);
      options.trainScale = scale;
    } else if (arg === '--scale') {
      const scale = value() as NetworkPresetName;
      if (!PRESETS.includes(scale)) throw new Error(`--scale must be one of ${PRESETS.join(', ')}`);
      options.scale = scale;
    } else if (arg === '--backend') {
      const backend = value() as TfBackendName;
      if (!BACKENDS.includes(backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}`);
      options.backend = backend;
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (options.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.start))
    throw new Error(`--start must be a date as YYYY-MM-DD, not ${options.start}`);
  if (options.weeks !== undefined && !(Number.isInteger(options.weeks) && options.weeks > 0))
    throw new Error('--weeks must be a positive integer');
  for (const seed of [options.seed, options.trainSeed]) {
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error('seeds must be integers');
  }
  return options;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArguments>;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    // A usage mistake: say what was wrong, without a stack trace (exit 64, EX_USAGE).
    process.stderr.write(`eval:anomaly: ${(error as Error).message}\n`);
    process.exitCode = 64;
    return;
  }
  const { strict, ...options } = parsed;
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const report = await runAnomalyEvaluation({
    ...options,
    logger: { info: (m) => write(`[anomaly-eval] ${m}`) },
  });
  const outDir = options.outDir ?? join(repoRoot(), 'bench', 'results');
  write(readFileSync(join(outDir, 'anomaly-eval.md'), 'utf8'));
  const missed = Object.entries(report.goals).filter(([, goal]) => !goal.met);
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
