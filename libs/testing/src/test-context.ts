import { ACCOUNT_INDEX, createChainProvider, deriveSigner } from '@pedigree/chain';
import { loadConfig, type PedigreeConfig } from '@pedigree/config';
import { runMigrations } from '@pedigree/database';
import { createKafka, deleteTopics, ensureTopics } from '@pedigree/messaging';
import { JsonRpcProvider, NonceManager, parseEther, Wallet } from 'ethers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { deployPedigree } from '../../../contracts/scripts/deploy';
import { conformanceDir } from './repo-paths';

export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
const TEST_DATABASE_URL = 'postgres://pedigree@127.0.0.1:5432/pedigree_test';

export interface TestContext {
  /** A unique lower-case id for this test file's schema, topics and consumer groups. */
  id: string;
  env: Record<string, string>;
  config: PedigreeConfig;
  cleanup(): Promise<void>;
}

/**
 * Isolated state for one integration test file on the shared real infrastructure: its own PostgreSQL schema
 * (migrated), its own Kafka topics and consumer groups, its own freshly deployed contracts.
 */
export async function createTestContext(
  name: string,
  options: { deployContracts?: boolean; env?: Record<string, string> } = {},
): Promise<TestContext> {
  // Every test file signs with its own accounts: ledgers of files running side by side never share a nonce.
  const mnemonic = options.env?.LEDGER_MNEMONIC ?? Wallet.createRandom().mnemonic!.phrase;
  const id = `${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)}_${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `pedigree-${id}-`));
  const relay = Wallet.createRandom();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `t_${id}`,
    DATABASE_POOL_SIZE: '5',
    KAFKA_TOPIC_PREFIX: `t-${id}`,
    KAFKA_TOPIC_PARTITIONS: '3',
    INGEST_CONSUMER_GROUP: `t-${id}-ingest`,
    INTELLIGENCE_CONSUMER_GROUP: `t-${id}-intelligence`,
    KAFKA_CLIENT_ID: `t-${id}`,
    CHAIN_DEPLOYMENT_FILE: join(dir, 'deployment.json'),
    CHAIN_CONFIRMATIONS: '1',
    LEDGER_MNEMONIC: mnemonic,
    LEDGER_CUSTODY_MNEMONIC: Wallet.createRandom().mnemonic!.phrase,
    LEDGER_BATCH_MAX_WAIT_MS: '300',
    LEDGER_POLL_INTERVAL_MS: '100',
    PEDIGREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    API_RELAY_PRIVATE_KEY: relay.privateKey,
    INGEST_TRUSTED_RELAYS: relay.address,
    LEDGER_OUTBOX_SECRET: randomBytes(32).toString('hex'),
    EPCIS_STANDARD_DIR: conformanceDir('epcis'),
    EPCIS_XSD_DIR: conformanceDir('epcis-xml', 'xsd'),
    INGEST_PARK_TIMEOUT_SECONDS: '10',
    ANOMALY_TRAINING_SCALE: 'tiny',
    INGEST_PARK_RETRY_INTERVAL_MS: '200',
    // The tests' webhook receivers listen on 127.0.0.1 over plain http.
    SUBSCRIPTION_PRIVATE_DESTINATIONS: 'true',
    ...options.env,
  };
  const config = loadConfig('tool', env);
  await runMigrations(config);
  const kafka = createKafka(config, 'test-admin');
  await ensureTopics(kafka, config);
  if (options.deployContracts !== false) await deployTestContracts(config);

  return {
    id,
    env,
    config,
    async cleanup() {
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${config.databaseSchema}" CASCADE`);
      await client.end();
      await deleteTopics(kafka, config.kafkaTopicPrefix).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh contracts for this test file on the shared Hardhat node: no other file sees their state. The file's own
 * admin and anchorer accounts are funded from a Hardhat account reserved for this Jest worker.
 */
export async function deployTestContracts(config: PedigreeConfig): Promise<void> {
  const probe = new JsonRpcProvider(config.chainRpcUrl);
  const network = await probe.getNetwork();
  probe.destroy();
  const provider = createChainProvider(config.chainRpcUrl, Number(network.chainId));
  try {
    const funder = new NonceManager(
      deriveSigner(TEST_MNEMONIC, 90 + Number(process.env.JEST_WORKER_ID ?? 1), provider),
    );
    for (const index of [ACCOUNT_INDEX.consortiumAdmin, ACCOUNT_INDEX.anchorer]) {
      const to = await deriveSigner(config.ledgerMnemonic!, index).getAddress();
      await (await funder.sendTransaction({ to, value: parseEther('20') })).wait(1);
    }
    const deployer = deriveSigner(config.ledgerMnemonic!, ACCOUNT_INDEX.consortiumAdmin, provider);
    const anchorer = await deriveSigner(config.ledgerMnemonic!, ACCOUNT_INDEX.anchorer).getAddress();
    const deployed = await deployPedigree(deployer, { anchorer });
    const genesis = await provider.getBlock(0);
    writeFileSync(
      config.chainDeploymentFile,
      JSON.stringify({
        chainId: Number(network.chainId),
        genesisHash: genesis!.hash,
        deployedAtBlock: deployed.blockNumber,
        contracts: {
          ParticipantRegistry: deployed.registry,
          CustodyLedger: deployed.custody,
          EventAnchor: deployed.anchor,
        },
        deployer: await deployer.getAddress(),
        anchorer,
      }),
    );
  } finally {
    provider.destroy();
  }
}
