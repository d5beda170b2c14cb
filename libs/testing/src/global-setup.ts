import { ensureInfrastructure } from './infrastructure';

/** Jest global setup for integration tests: real PostgreSQL, Kafka and chain, started if they are down. */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  await ensureInfrastructure();
}
