import { Logger } from '@nestjs/common';
import type { PedigreeConfig } from '@pedigree/config';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

const logger = new Logger('Migrations');

/** Creates the configured schema if needed and runs pending migrations. Idempotent. */
export async function runMigrations(config: PedigreeConfig): Promise<string[]> {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.databaseSchema}"`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource(dataSourceOptions(config, { logging: ['error', 'migration'] }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
