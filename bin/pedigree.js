#!/usr/bin/env node
// Entry point of `npx pedigree`: the compiled CLI (run `npm run build` once after cloning).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write('pedigree: not built yet. Run `npm run build` in the Pedigree checkout first.\n');
  process.exit(78);
}
require(compiled)
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
