import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot } from '@pedigree/testing';

const run = promisify(execFile);

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The infra scripts stop what they start: each starts its piece on free ports in a state directory of its own (beside
 * the shared Kafka and chain the other tests use), records the real process, and after `stop` the recorded process
 * is gone and the port closed. (A wrapper's pid in the pid file once left the Hardhat node listening after "stopped".)
 */
describe('infra scripts start and stop the real process', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function startStop(script: string, pidFile: string, env: Record<string, string>, port: number) {
    const state = mkdtempSync(join(tmpdir(), 'pedigree-infra-'));
    dirs.push(state);
    const options = { cwd: repoRoot(), env: { ...process.env, PEDIGREE_STATE_DIR: state, ...env } };
    const path = join(repoRoot(), 'infra', script);
    try {
      await run('bash', [path, 'start'], options);
      expect(await portOpen(port)).toBe(true);
      const pid = Number(readFileSync(join(state, pidFile), 'utf8').trim());
      expect(alive(pid)).toBe(true);
      await run('bash', [path, 'stop'], options);
      expect(alive(pid)).toBe(false);
      expect(await portOpen(port)).toBe(false);
    } finally {
      await run('bash', [path, 'stop'], options).catch(() => undefined);
    }
  }

  it('chain.sh: the Hardhat node it started is gone after stop, its port closed', async () => {
    const port = await freePort();
    await startStop('chain/chain.sh', 'chain/hardhat-node.pid', { CHAIN_PORT: String(port) }, port);
  }, 180_000);

  it('kafka.sh: the broker it started is gone after stop, its ports closed', async () => {
    const [port, controller] = [await freePort(), await freePort()];
    await startStop(
      'kafka/kafka.sh',
      'kafka/kafka.pid',
      {
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(controller),
        KAFKA_HEAP: '-Xms128m -Xmx384m',
      },
      port,
    );
    expect(await portOpen(controller)).toBe(false);
  }, 180_000);
});
