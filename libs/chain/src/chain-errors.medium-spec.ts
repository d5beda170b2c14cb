import { createTestContext, type TestContext } from '@pedigree/testing';
import { Wallet } from 'ethers';
import { ACCOUNT_INDEX } from './chain-identifiers';
import { connectContracts, createChainProvider, deriveSigner } from './chain-client';
import { readChainDeployment } from './chain-deployment';
import { CUSTODY_TYPES, custodyDomain } from './custody-typed-data';
import { decodeChainError } from './chain-errors';

/**
 * Against the Hardhat node: a refused custody batch is named the same whether the chain was asked to simulate it or
 * to estimate its gas. The ledger's preflight estimates (its estimate is reused by the send), and ethers decodes a
 * custom error only for the simulation, so the name comes from the contract's ABI.
 */
describe('decodeChainError on a real chain', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext('chain-errors');
  });

  afterAll(async () => {
    await context?.cleanup();
  });

  it("names a gas estimate's revert as the simulation's", async () => {
    const deployment = readChainDeployment(context.config.chainDeploymentFile);
    const provider = createChainProvider(context.config.chainRpcUrl, deployment.chainId);
    try {
      const relayer = deriveSigner(context.config.ledgerMnemonic!, ACCOUNT_INDEX.consortiumAdmin, provider);
      const { custody } = connectContracts(deployment, relayer);
      const stranger = Wallet.createRandom();
      const receipt = {
        consignmentId: `0x${'11'.repeat(32)}`,
        eventHash: `0x${'22'.repeat(32)}`,
        sequence: 0n,
      };
      const signature = await stranger.signTypedData(
        custodyDomain(deployment),
        { Receipt: CUSTODY_TYPES.Receipt },
        receipt,
      );
      const batch = [{ consignmentId: receipt.consignmentId, eventHash: receipt.eventHash, signature }];
      const simulated = await custody.relayReceipts.staticCall(batch).then(
        () => undefined,
        (error: unknown) => decodeChainError(error),
      );
      const estimated = await custody.relayReceipts.estimateGas(batch).then(
        () => undefined,
        (error: unknown) => decodeChainError(error, custody.interface),
      );
      expect(simulated?.kind).toBe('revert');
      expect(simulated?.name).toMatch(/^CustodyLedger[A-Z]\w+$/);
      expect(estimated).toMatchObject({ kind: 'revert', name: simulated!.name });
      expect(
        decodeChainError(await custody.relayReceipts.estimateGas(batch).catch((e: unknown) => e)).name,
      ).toBe(undefined);
    } finally {
      provider.destroy();
    }
  });
});
