import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './service-process';
import { repoRoot } from './repo-paths';

export interface PrivateChain {
  rpcUrl: string;
  port: number;
  /** kill -9: the chain and all its state are gone, as when a dev node crashes. */
  kill(): Promise<void>;
  /** SIGSTOP: the node keeps its state and its port, but answers nothing (a hung node) until resume(). */
  pause(): void;
  resume(): void;
}

async function rpcReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * A Hardhat node of the test's own on a free port (or a given one, to restart "the same" node): for tests that
 * kill or restart the chain, which must not disturb the shared node other test files use.
 */
export async function startHardhatNode(port?: number): Promise<PrivateChain> {
  const chosen = port ?? (await freePort());
  const root = repoRoot();
  const child: ChildProcess = spawn(
    join(root, 'node_modules', '.bin', 'hardhat'),
    ['--config', 'contracts/hardhat.config.ts', 'node', '--hostname', '127.0.0.1', '--port', String(chosen)],
    { cwd: root, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' }, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const rpcUrl = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 60_000;
  while (!(await rpcReady(rpcUrl))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('hardhat node did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    rpcUrl,
    port: chosen,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
  };
}
