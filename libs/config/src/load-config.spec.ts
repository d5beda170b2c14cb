import { ConfigValidationError } from './config.error';
import { configReference, describeConfig, loadConfig } from './load-config';

const MNEMONIC = 'test test test test test test test test test test test junk';
const CUSTODY_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const OUTBOX = {
  LEDGER_OUTBOX_SECRET: 'an-outbox-secret-of-at-least-32-characters',
  LEDGER_CUSTODY_MNEMONIC: CUSTODY_MNEMONIC,
};

describe('loadConfig', () => {
  it('applies defaults when the environment is empty', () => {
    const config = loadConfig('tool', {});
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.apiPort).toBe(3000);
  });

  it('coerces integers, booleans and lists', () => {
    const config = loadConfig('tool', {
      API_PORT: '8080',
      INGEST_PORT: '4001',
      API_DOCS_ENABLED: 'no',
      KAFKA_BROKERS: 'a:1, b:2',
      INGEST_MAX_EVENTS_PER_DOCUMENT: '5_000',
    });
    expect(config.apiPort).toBe(8080);
    expect(config.ingestPort).toBe(4001);
    expect(config.apiDocsEnabled).toBe(false);
    expect(config.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(config.ingestMaxEventsPerDocument).toBe(5000);
  });

  it('names the variable of a malformed value', () => {
    expect(() => loadConfig('tool', { API_PORT: 'eighty' })).toThrow(
      /API_PORT: must be an integer, got "eighty"/,
    );
  });

  it('names the variable of a value out of range', () => {
    expect(() => loadConfig('tool', { API_PORT: '70000' })).toThrow(
      /API_PORT: .*must not be greater than 65535/,
    );
  });

  it('lists every problem at once', () => {
    try {
      loadConfig('tool', { API_PORT: 'x', KAFKA_BROKERS: 'no-port', DATABASE_URL: 'mysql://x' });
      fail('expected a ConfigValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const variables = (error as ConfigValidationError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['API_PORT', 'DATABASE_URL', 'KAFKA_BROKERS']);
    }
  });

  it('requires the secrets the app needs and does not print their values', () => {
    expect(() => loadConfig('ledger', {})).toThrow(/LEDGER_MNEMONIC: is required by the ledger service/);
    expect(() => loadConfig('api', {})).toThrow(/PEDIGREE_ADMIN_TOKEN: is required by the api service/);
    expect(() => loadConfig('api', {})).toThrow(/API_RELAY_PRIVATE_KEY: is required by the api service/);
    expect(() => loadConfig('ingest', {})).toThrow(
      /INGEST_TRUSTED_RELAYS: is required by the ingest service/,
    );
    try {
      loadConfig('api', { PEDIGREE_ADMIN_TOKEN: 'short-secret' });
      fail('expected a ConfigValidationError');
    } catch (error) {
      expect((error as Error).message).toMatch(/PEDIGREE_ADMIN_TOKEN: must be at least 32 characters/);
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it("refuses Hardhat's public mnemonic in production, and accepts it in development", () => {
    expect(() =>
      loadConfig('ledger', { NODE_ENV: 'production', LEDGER_MNEMONIC: MNEMONIC, ...OUTBOX }),
    ).toThrow(/LEDGER_MNEMONIC: is Hardhat's public test mnemonic/);
    expect(
      loadConfig('ledger', { NODE_ENV: 'development', LEDGER_MNEMONIC: MNEMONIC, ...OUTBOX }).ledgerMnemonic,
    ).toBe(MNEMONIC);
  });

  it('refuses webhooks to private addresses in production', () => {
    const env = { ...OUTBOX, SUBSCRIPTION_PRIVATE_DESTINATIONS: 'true' };
    expect(() => loadConfig('tool', { ...env, NODE_ENV: 'production' })).toThrow(
      /SUBSCRIPTION_PRIVATE_DESTINATIONS: must be false in production/,
    );
    expect(loadConfig('tool', { ...env, NODE_ENV: 'development' }).subscriptionPrivateDestinations).toBe(
      true,
    );
  });

  it('keeps the custody keystore apart from the anchoring key', () => {
    expect(() =>
      loadConfig('ledger', {
        LEDGER_MNEMONIC: MNEMONIC,
        LEDGER_OUTBOX_SECRET: OUTBOX.LEDGER_OUTBOX_SECRET,
      }),
    ).toThrow(/LEDGER_CUSTODY_MNEMONIC: is required by the ledger service/);
    expect(() =>
      loadConfig('ledger', { LEDGER_MNEMONIC: MNEMONIC, ...OUTBOX, LEDGER_CUSTODY_MNEMONIC: MNEMONIC }),
    ).toThrow(/LEDGER_CUSTODY_MNEMONIC: must differ from LEDGER_MNEMONIC/);
  });

  it('describes the configuration without revealing secrets', () => {
    const config = loadConfig('ledger', { LEDGER_MNEMONIC: MNEMONIC, ...OUTBOX });
    const described = describeConfig(config);
    expect(described.LEDGER_MNEMONIC).toBe('(set)');
    expect(JSON.stringify(described)).not.toContain('junk');
    expect(described.DATABASE_URL).toBe('(set)');
  });

  it("reads the CLI's API URL and key, and never prints the key", () => {
    expect(loadConfig('cli', {}).cliApiUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig('cli', {}).cliApiKey).toBeUndefined();
    const config = loadConfig('cli', {
      PEDIGREE_API_URL: 'https://pedigree.example',
      PEDIGREE_API_KEY: 'pdg_a_b',
    });
    expect(config).toMatchObject({ cliApiUrl: 'https://pedigree.example', cliApiKey: 'pdg_a_b' });
    expect(describeConfig(config).PEDIGREE_API_KEY).toBe('(set)');
    expect(() => loadConfig('cli', { PEDIGREE_API_URL: '127.0.0.1:3000' })).toThrow(
      /PEDIGREE_API_URL: .*must be a URL address/,
    );
    try {
      loadConfig('cli', { PEDIGREE_API_KEY: 'pdg key with spaces' });
      fail('expected a ConfigValidationError');
    } catch (error) {
      expect((error as Error).message).toMatch(/PEDIGREE_API_KEY: must be printable ASCII without spaces/);
      expect((error as Error).message).not.toContain('pdg key');
    }
  });

  it('documents every variable', () => {
    for (const variable of configReference()) {
      expect(variable.description.length).toBeGreaterThan(5);
      expect(variable.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });
});
