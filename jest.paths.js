// Maps the tsconfig path aliases (@pedigree/<lib>) for Jest, from tsconfig.json so they are declared once.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function pathsToModuleNameMapper() {
  const tsconfig = JSON.parse(readFileSync(join(__dirname, 'tsconfig.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
