// `npm run db:migrate`: applies pending migrations to the configured database and schema.
import { Logger } from '@nestjs/common';
import { loadConfig } from '@pedigree/config';
import { runMigrations } from './migrate';

runMigrations(loadConfig('tool'))
  .then((applied) => {
    new Logger('Migrations').log(
      applied.length ? `done (${applied.length} applied)` : 'schema is up to date',
    );
  })
  .catch((error: unknown) => {
    new Logger('Migrations').error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
