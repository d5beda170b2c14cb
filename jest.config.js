// Unit tests: *.spec.ts beside the code. Fast (SWC transpiles, `npm run typecheck` checks types).
const { pathsToModuleNameMapper } = require('./jest.paths');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'unit',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/infra', '<rootDir>/bench'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/dashboard/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: pathsToModuleNameMapper(),
  setupFiles: ['<rootDir>/libs/testing/src/jest-unit-setup.ts'],
  collectCoverageFrom: [
    'libs/*/src/**/*.ts',
    'apps/*/src/**/*.ts',
    '!**/*.spec.ts',
    '!**/main.ts',
    '!**/migrations/**',
  ],
  coverageDirectory: '<rootDir>/coverage/unit',
};
