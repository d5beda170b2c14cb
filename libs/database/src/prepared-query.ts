import type { DataSource } from 'typeorm';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hot read as a named prepared statement: PostgreSQL plans it once per connection instead of on every
 * call. For the provenance query, planning (3–5 ms) cost more than executing it; preparing it doubled the
 * queries per second at the same concurrency. Only for read-only statements outside a transaction.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool) return (await dataSource.query(text, values)) as T[];
  return (await pool.query({ name, text, values })).rows as T[];
}
