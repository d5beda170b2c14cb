// Integration and end-to-end tests against the real PostgreSQL, Kafka and Hardhat node (started if down by the
// global setup). Each file gets its own schema, topics and contracts, so files may run in parallel.
const { join } = require('node:path');
const { pathsToModuleNameMapper } = require('../jest.paths');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'integration',
  rootDir: join(__dirname, '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/apps', '<rootDir>/libs'],
  testMatch: ['**/*.int-spec.ts', '**/*.medium-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/dashboard/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: pathsToModuleNameMapper(),
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  setupFiles: ['<rootDir>/libs/testing/src/jest-unit-setup.ts'],
  testTimeout: 180_000,
  maxWorkers: 2,
  // Kafka clients keep sockets open briefly after disconnect; do not wait for them.
  forceExit: true,
};
