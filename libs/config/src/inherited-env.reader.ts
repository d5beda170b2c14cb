import type { Env } from './env-variables.reader';

/**
 * The environment a child process inherits from this one: only `names` (an unset one as ''), or all of it. Kept here
 * so that, beside the config loaders, nothing reads `process.env`; the benchmarks hand their services PATH and HOME
 * only, so the caller's own settings cannot leak into a measured run.
 */
export function inheritedEnv(names?: readonly string[], env: Env = process.env): Record<string, string> {
  const picked = names ?? Object.keys(env).filter((name) => env[name] !== undefined);
  return Object.fromEntries(picked.map((name) => [name, env[name] ?? '']));
}
