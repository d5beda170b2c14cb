import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-paths';

export type ServiceName = 'api' | 'ingest' | 'ledger' | 'intelligence';

export interface RunningService {
  name: ServiceName;
  process: ChildProcess;
  port: number;
  logFile: string;
  /** SIGTERM and wait; SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
}

const PORT_VARIABLE: Record<ServiceName, string> = {
  api: 'API_PORT',
  ingest: 'INGEST_PORT',
  ledger: 'LEDGER_PORT',
  intelligence: 'INTELLIGENCE_PORT',
};

/** Asks the OS for a free port so that several test files can run services side by side. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHealth(
  port: number,
  child: ChildProcess,
  name: string,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} during start-up; see ${logFile}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} was not healthy within ${timeoutMs} ms; see ${logFile}`);
}

/**
 * Runs a service from the build (dist/) as its own process, exactly as in production, with the given environment.
 * Its logs go to a file under .pedigree/test-logs for post-mortems.
 */
export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunningService> {
  const port = await freePort();
  const root = repoRoot();
  const logDir = join(root, '.pedigree', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${env.DATABASE_SCHEMA ?? 'svc'}-${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', name, 'src', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...env,
      [PORT_VARIABLE[name]]: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForHealth(port, child, name, timeoutMs, logFile);
  return {
    name,
    process: child,
    port,
    logFile,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
