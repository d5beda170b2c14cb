import { BenchConfig } from './bench-config';
import { ConfigValidationError } from './config.error';
import { type Env, readEnvVariables } from './env-variables.reader';

/**
 * The benchmarks' settings from an environment, validated before a benchmark touches any infrastructure: a typo in
 * BENCH_STEPS or BENCH_EVENTS would otherwise surface only after minutes of producing events.
 */
export function loadBenchConfig(env: Env = process.env): BenchConfig {
  const { config, problems } = readEnvVariables(BenchConfig, env);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  // Its default is another variable's value, which a static default cannot express.
  config.soakVerifyRate ??= config.verifyRate;
  return config;
}
