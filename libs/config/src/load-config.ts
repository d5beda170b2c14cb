import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigValidationError } from './config.error';
import { type EnvVariableDefinition, envVariablesOf } from './env-variable.decorator';
import { HARDHAT_TEST_MNEMONIC, type PedigreeApp, PedigreeConfig, REQUIRED_BY_APP } from './pedigree-config';

type Env = Record<string, string | undefined>;

function coerce(definition: EnvVariableDefinition, raw: string): { value?: unknown; error?: string } {
  switch (definition.kind) {
    case 'string':
      return { value: raw };
    case 'integer': {
      if (!/^-?\d+$/.test(raw.replace(/_/g, ''))) return { error: `must be an integer, got "${raw}"` };
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
      return {
        value: raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      };
  }
}

/**
 * Builds and validates the configuration from an environment. The only reader of `process.env` in Pedigree.
 * Fails fast with every offending variable named, so a misconfigured service never half-starts.
 */
export function loadConfig(app: PedigreeApp, env: Env = process.env): PedigreeConfig {
  const definitions = envVariablesOf(PedigreeConfig.prototype);
  const plain: Record<string, unknown> = {};
  const problems: { variable: string; message: string }[] = [];

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

  const config = plainToInstance(PedigreeConfig, plain);
  for (const error of validateSync(config, { forbidUnknownValues: true })) {
    const definition = definitions.find((d) => d.property === error.property);
    const variable = definition?.env ?? error.property;
    if (problems.some((p) => p.variable === variable)) continue;
    const message = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    problems.push({
      variable,
      message: definition?.secret
        ? message
        : `${message} (got ${JSON.stringify(env[variable] ?? error.value)})`,
    });
  }

  for (const property of REQUIRED_BY_APP[app] as readonly (keyof PedigreeConfig)[]) {
    if (config[property] === undefined) {
      const definition = definitions.find((d) => d.property === property);
      problems.push({
        variable: definition?.env ?? property,
        message: `is required by the ${app} service (${definition?.description ?? 'no description'})`,
      });
    }
  }

  problems.push(...productionProblems(config));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/**
 * The custody keystore is not the anchoring key: whoever holds the anchoring key must not also sign custody for
 * members. In production, Hardhat's public accounts are refused (anyone can sign with them), and so are webhooks to
 * private addresses.
 */
function productionProblems(config: PedigreeConfig): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  if (config.ledgerCustodyMnemonic && config.ledgerCustodyMnemonic === config.ledgerMnemonic)
    problems.push({
      variable: 'LEDGER_CUSTODY_MNEMONIC',
      message: 'must differ from LEDGER_MNEMONIC: the custody keystore is kept apart from the anchoring key',
    });
  if (config.nodeEnv !== 'production') return problems;
  if (config.ledgerCustodyMnemonic === HARDHAT_TEST_MNEMONIC)
    problems.push({
      variable: 'LEDGER_CUSTODY_MNEMONIC',
      message: "is Hardhat's public test mnemonic; anyone can sign with its accounts",
    });
  if (config.ledgerMnemonic === HARDHAT_TEST_MNEMONIC)
    problems.push({
      variable: 'LEDGER_MNEMONIC',
      message: "is Hardhat's public test mnemonic; anyone can sign with its accounts",
    });
  if (config.subscriptionPrivateDestinations)
    problems.push({
      variable: 'SUBSCRIPTION_PRIVATE_DESTINATIONS',
      message: 'must be false in production: members could point webhooks at the consortium’s own network',
    });
  return problems;
}

/** The configuration as it may be logged: secrets show only whether they are set. */
export function describeConfig(config: PedigreeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const definition of envVariablesOf(PedigreeConfig.prototype)) {
    const value = (config as unknown as Record<string, unknown>)[definition.property];
    out[definition.env] = definition.secret ? (value === undefined ? '(unset)' : '(set)') : value;
  }
  return out;
}

/** Every variable with its description and default, for the README table and `pedigree config`. */
export function configReference(): EnvVariableDefinition[] {
  return envVariablesOf(PedigreeConfig.prototype);
}
