// `npm run chain:deploy`: deploys the Pedigree contracts and writes CHAIN_DEPLOYMENT_FILE, unless that file already
// describes live contracts on the chain at CHAIN_RPC_URL that this database can continue (idempotent: safe to run
// on every start).
import { Logger } from '@nestjs/common';
import {
  ACCOUNT_INDEX,
  connectContracts,
  createChainProvider,
  deriveSigner,
  readChainDeployment,
  type ChainDeployment,
} from '@pedigree/chain';
import { loadConfig, type PedigreeConfig } from '@pedigree/config';
import { Client } from 'pg';
import { JsonRpcProvider } from 'ethers';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deployPedigree } from '../../contracts/scripts/deploy';

const logger = new Logger('Deploy');

async function isLive(provider: JsonRpcProvider, file: string): Promise<ChainDeployment | undefined> {
  let deployment: ChainDeployment;
  try {
    deployment = readChainDeployment(file);
  } catch {
    return undefined;
  }
  const genesis = await provider.getBlock(0);
  if (genesis?.hash !== deployment.genesisHash) return undefined;
  const code = await provider.getCode(deployment.contracts.EventAnchor);
  return code !== '0x' ? deployment : undefined;
}

/**
 * Whether the platform can go on with these contracts: they are this version's (relayed custody), and either hold no
 * state yet or this database has anchored before. A fresh database on a chain that already holds another database's
 * state (a demo started again from an empty database) gets its own contracts. A database that has anchored but
 * does not hold the chain's latest root keeps them: the ledger then refuses to anchor, as it must after a rollback.
 */
async function continuable(provider: JsonRpcProvider, deployment: ChainDeployment, config: PedigreeConfig) {
  const { anchor, custody } = connectContracts(deployment, provider);
  try {
    await custody.sequencesOf([]);
  } catch {
    logger.warn('the deployed contracts are an older version (no relayed custody): deploying this version');
    return false;
  }
  const state = await anchor.latestState();
  if (/^0x0+$/.test(state.root)) return true;
  const client = new Client({
    connectionString: config.databaseUrl,
    options: `-c search_path=${config.databaseSchema}`,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ anchored: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM anchor_batches) AS anchored',
    );
    if (rows[0]?.anchored) return true;
    logger.warn(
      'the contracts hold another database’s state and this database has anchored nothing: deploying anew',
    );
    return false;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  // Deploying needs the ledger's mnemonic only (not the secrets the running ledger needs besides).
  const config = loadConfig('tool');
  if (!config.ledgerMnemonic) throw new Error('LEDGER_MNEMONIC is required to deploy the contracts');
  const probe = new JsonRpcProvider(config.chainRpcUrl);
  const network = await probe.getNetwork();
  probe.destroy();
  const provider = createChainProvider(config.chainRpcUrl, Number(network.chainId));
  try {
    const file = resolve(config.chainDeploymentFile);
    const live = await isLive(provider, file);
    if (live && (await continuable(provider, live, config))) {
      logger.log(
        `contracts already deployed on chain ${live.chainId} (EventAnchor ${live.contracts.EventAnchor})`,
      );
      return;
    }
    const deployer = deriveSigner(config.ledgerMnemonic!, ACCOUNT_INDEX.consortiumAdmin, provider);
    const anchorer = await deriveSigner(config.ledgerMnemonic!, ACCOUNT_INDEX.anchorer).getAddress();
    const deployed = await deployPedigree(deployer, { anchorer });
    const genesis = await provider.getBlock(0);
    const record: ChainDeployment = {
      chainId: Number(network.chainId),
      genesisHash: genesis!.hash!,
      deployedAtBlock: deployed.blockNumber,
      contracts: {
        ParticipantRegistry: deployed.registry,
        CustodyLedger: deployed.custody,
        EventAnchor: deployed.anchor,
      },
      deployer: await deployer.getAddress(),
      anchorer,
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    logger.log(`deployed to chain ${record.chainId}; addresses written to ${file}`);
  } finally {
    provider.destroy();
  }
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
