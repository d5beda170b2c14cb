import 'reflect-metadata';

/** `list` is comma-separated strings; `integer-list` comma-separated integers (a benchmark's rates, counts). */
export type EnvKind = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'integer-list';

export interface EnvVariableOptions {
  /** The environment variable that sets this property. */
  env: string;
  description: string;
  kind?: EnvKind;
  /** Used when the variable is unset or empty; omit for variables that must be given. */
  default?: string | number | boolean | string[] | number[];
  /** Secrets are never logged or printed, only whether they are set. */
  secret?: boolean;
}

export interface EnvVariableDefinition extends EnvVariableOptions {
  property: string;
  kind: EnvKind;
}

const ENV_VARIABLES = Symbol('pedigree:env-variables');

/** Declares a configuration property: its variable name, description, type and default (after twenty's config-variables). */
export function EnvVariable(options: EnvVariableOptions): PropertyDecorator {
  return (target, property) => {
    const list = (Reflect.getMetadata(ENV_VARIABLES, target) as EnvVariableDefinition[] | undefined) ?? [];
    list.push({ kind: 'string', ...options, property: String(property) });
    Reflect.defineMetadata(ENV_VARIABLES, list, target);
  };
}

export function envVariablesOf(target: object): EnvVariableDefinition[] {
  return (Reflect.getMetadata(ENV_VARIABLES, target) as EnvVariableDefinition[] | undefined) ?? [];
}
