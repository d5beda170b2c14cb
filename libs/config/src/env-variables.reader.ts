import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type EnvVariableDefinition, envVariablesOf } from './env-variable.decorator';

export type Env = Record<string, string | undefined>;
export type ConfigProblem = { variable: string; message: string };

const INTEGER = /^-?\d+$/;

function coerceList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function coerceIntegerList(raw: string): { value?: unknown; error?: string } {
  const items = coerceList(raw).map((item) => item.replace(/_/g, ''));
  if (!items.every((item) => INTEGER.test(item)))
    return { error: `must be comma-separated integers, got "${raw}"` };
  return { value: items.map((item) => Number.parseInt(item, 10)) };
}

function coerce(definition: EnvVariableDefinition, raw: string): { value?: unknown; error?: string } {
  switch (definition.kind) {
    case 'string':
      return { value: raw };
    case 'integer': {
      if (!INTEGER.test(raw.replace(/_/g, ''))) return { error: `must be an integer, got "${raw}"` };
      return { value: Number.parseInt(raw.replace(/_/g, ''), 10) };
    }
    case 'number': {
      const value = Number(raw);
      return Number.isFinite(value) ? { value } : { error: `must be a number, got "${raw}"` };
    }
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (['true', '1', 'yes'].includes(lower)) return { value: true };
      if (['false', '0', 'no'].includes(lower)) return { value: false };
      return { error: `must be true or false, got "${raw}"` };
    }
    case 'list':
      return { value: coerceList(raw) };
    case 'integer-list':
      return coerceIntegerList(raw);
  }
}

/** Unset and empty variables take their default; the others are coerced to their declared kind. */
function coerceAll(
  definitions: EnvVariableDefinition[],
  env: Env,
): { plain: Record<string, unknown>; problems: ConfigProblem[] } {
  const plain: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const definition of definitions) {
    const raw = env[definition.env];
    if (raw === undefined || raw.trim() === '') {
      if (definition.default !== undefined) plain[definition.property] = definition.default;
      continue;
    }
    const { value, error } = coerce(definition, raw.trim());
    if (error) problems.push({ variable: definition.env, message: error });
    else plain[definition.property] = value;
  }
  return { plain, problems };
}

/** class-validator's verdicts, named by variable; a secret's value is never quoted back. */
function constraintProblems(
  config: object,
  definitions: EnvVariableDefinition[],
  env: Env,
  known: ConfigProblem[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const error of validateSync(config, { forbidUnknownValues: true })) {
    const definition = definitions.find((d) => d.property === error.property);
    const variable = definition?.env ?? error.property;
    if ([...known, ...problems].some((p) => p.variable === variable)) continue;
    const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    problems.push({
      variable,
      message: definition?.secret
        ? message
        : `${message} (got ${JSON.stringify(env[variable] ?? error.value)})`,
    });
  }
  return problems;
}

/**
 * Reads the variables a config class declares (see `@EnvVariable`) from `env`: coerced, defaulted and validated.
 * Returns every problem rather than throwing, so each loader can add its own cross-variable checks to one report.
 */
export function readEnvVariables<T extends object>(
  type: new () => T,
  env: Env,
): { config: T; definitions: EnvVariableDefinition[]; problems: ConfigProblem[] } {
  const definitions = envVariablesOf(type.prototype as object);
  const { plain, problems } = coerceAll(definitions, env);
  const config = plainToInstance(type, plain);
  problems.push(...constraintProblems(config, definitions, env, problems));
  return { config, definitions, problems };
}
