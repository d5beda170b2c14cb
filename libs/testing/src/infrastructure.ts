import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './repo-paths';

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function run(script: string, ...args: string[]): void {
  execFileSync('bash', [join(repoRoot(), 'infra', script), ...args], { stdio: 'inherit', cwd: repoRoot() });
}

/**
 * Starts whatever real infrastructure is not running (PostgreSQL, Kafka, the Hardhat node): integration tests
 * never use mocks for these. Each start script is idempotent and waits until its service is ready.
 */
export async function ensureInfrastructure(): Promise<void> {
  run('postgres/postgres.sh', 'setup');
  if (!(await portOpen(9092))) run('kafka/kafka.sh', 'start');
  if (!(await portOpen(8545))) run('chain/chain.sh', 'start');
}
