import { BenchConfig } from './bench-config';
import { ConfigValidationError } from './config.error';
import { type EnvVariableDefinition, envVariablesOf } from './env-variable.decorator';
import { type ConfigProblem, type Env, readEnvVariables } from './env-variables.reader';
import { HARDHAT_TEST_MNEMONIC, type PedigreeApp, PedigreeConfig, REQUIRED_BY_APP } from './pedigree-config';

/**
 * Builds and validates the configuration from an environment. With `loadBenchConfig` and `inheritedEnv`, the only
 * reader of `process.env` in Pedigree. Fails fast with every offending variable named, so a misconfigured service
 * never half-starts.
 */
export function loadConfig(app: PedigreeApp, env: Env = process.env): PedigreeConfig {
  const { config, definitions, problems } = readEnvVariables(PedigreeConfig, env);
  problems.push(...missingForApp(app, config, definitions), ...productionProblems(config));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

/** The variables without a default that this app cannot start without. */
function missingForApp(
  app: PedigreeApp,
  config: PedigreeConfig,
  definitions: EnvVariableDefinition[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const property of REQUIRED_BY_APP[app] as readonly (keyof PedigreeConfig)[]) {
    if (config[property] !== undefined) continue;
    const definition = definitions.find((d) => d.property === property);
    problems.push({
      variable: definition?.env ?? property,
      message: `is required by the ${app} service (${definition?.description ?? 'no description'})`,
    });
  }
  return problems;
}

/**
 * The custody keystore is not the anchoring key: whoever holds the anchoring key must not also sign custody for
 * members. In production, Hardhat's public accounts are refused (anyone can sign with them), and so are webhooks to
 * private addresses.
 */
function productionProblems(config: PedigreeConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
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

/**
 * Every variable with its description and default, for the README table and `pedigree config`: the services' and
 * the benchmarks' (those are read by the bench scripts only, but documented in the same table).
 */
export function configReference(): EnvVariableDefinition[] {
  return [...envVariablesOf(PedigreeConfig.prototype), ...envVariablesOf(BenchConfig.prototype)];
}
