import type { PedigreeConfig } from '@pedigree/config';
import { join } from 'node:path';
import { types as pgTypes } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

// DATE columns stay 'YYYY-MM-DD' strings: as JS Dates they would be shifted by the process time zone.
pgTypes.setTypeParser(pgTypes.builtins.DATE, (value: string) => value);

/** TypeORM options for a configuration. `synchronize` stays off: the schema changes only through migrations. */
export function dataSourceOptions(
  config: PedigreeConfig,
  overrides: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    schema: config.databaseSchema,
    entities: ENTITIES,
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (the app role is not a superuser).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: ['error'],
    extra: {
      max: config.databasePoolSize,
      // One schema per test file: unqualified names resolve there, migrations included. JIT off: every query here
      // is a short OLTP lookup, and when a recursive CTE's row estimate is wild the JIT compiles for ~0.5 s to save
      // microseconds (measured: the provenance query went from 570 ms to 4.6 ms with it off).
      options: `-c search_path=${config.databaseSchema} -c jit=off`,
      application_name: `pedigree-${config.kafkaClientId}`,
      connectionTimeoutMillis: 5000,
      // Idle connections are kept five minutes, not pg-pool's 10 s. A fresh backend plans each prepared statement
      // from cold catalog caches (the verification query: 3 ms, over its first five runs), so after any lull of
      // 10 s the first seconds of traffic queued behind new connections (measured: at 1,000 req/s, 37 % of a
      // 20 s run's verifications over 20 ms, against 2.5 % with the connections kept).
      idleTimeoutMillis: 300_000,
      statement_timeout: 60000,
    },
    ...overrides,
  } as DataSourceOptions;
}
