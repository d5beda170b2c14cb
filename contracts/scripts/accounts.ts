/** The standard Hardhat test mnemonic: local development and CI only, never a real chain. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/** Accounts derived for the in-process `hardhat` network (organisations get their own accounts). */
export const TEST_ACCOUNT_COUNT = 100;

/** HD path of the mnemonic's account `index` (the Hardhat/ethers default path). */
export const accountPath = (index: number): string => `m/44'/60'/0'/0/${index}`;
