import { readFileSync } from 'node:fs';
import path from 'node:path';
import '@nomicfoundation/hardhat-chai-matchers';
import '@nomicfoundation/hardhat-ethers';
import '@typechain/hardhat';
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from 'hardhat/builtin-tasks/task-names';
import { subtask, type HardhatUserConfig } from 'hardhat/config';
import type { SolcBuild } from 'hardhat/types';
import 'hardhat-gas-reporter';
import 'solidity-coverage';
import { TEST_ACCOUNT_COUNT, TEST_MNEMONIC } from './scripts/accounts';

const SOLC_VERSION = '0.8.28';
const SOLC_LONG_VERSION = '0.8.28+commit.7893614a';

// Compile with the `solc` npm package (solcjs) instead of letting Hardhat download a compiler: CI is offline.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(
  ({ solcVersion }: { solcVersion: string }): Promise<SolcBuild> => {
    const solcPackage = require.resolve('solc/package.json');
    const { version } = JSON.parse(readFileSync(solcPackage, 'utf8')) as { version: string };
    if (solcVersion !== SOLC_VERSION || version !== SOLC_VERSION) {
      throw new Error(
        `solc ${solcVersion} requested, but only the solc npm package ${version} is available offline`,
      );
    }
    return Promise.resolve({
      compilerPath: require.resolve('solc/soljson.js'),
      isSolcJs: true,
      version: SOLC_VERSION,
      longVersion: SOLC_LONG_VERSION,
    });
  },
);

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: 'cancun' },
  },
  paths: { sources: 'src', tests: 'test', artifacts: 'artifacts', cache: 'cache' },
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'cancun',
      accounts: { mnemonic: TEST_MNEMONIC, count: TEST_ACCOUNT_COUNT },
      // Interval mining keeps confirmations advancing for an idle `hardhat node`.
      mining: { auto: true, interval: 1000 },
      allowUnlimitedContractSize: false,
    },
    localhost: { url: 'http://127.0.0.1:8545' },
  },
  typechain: { outDir: path.join(__dirname, 'typechain-types'), target: 'ethers-v6' },
  gasReporter: {
    enabled: process.env.REPORT_GAS === 'true',
    offline: true,
    outputFile: path.join(__dirname, 'gas-report.txt'),
    noColors: true,
    reportFormat: 'terminal',
  },
  mocha: { timeout: 120_000 },
};

export default config;
