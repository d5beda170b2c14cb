// solidity-coverage settings (read from the Hardhat root, contracts/). Reports stay inside contracts/: the
// repo root's coverage/ belongs to jest.
const path = require('node:path');

module.exports = {
  istanbulFolder: path.join(__dirname, 'coverage'),
  istanbulReporter: ['html', 'lcov', 'text', 'json-summary'],
};
