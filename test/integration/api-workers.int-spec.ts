import {
  createTestContext,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { createConnection } from 'node:net';

/** One request on its own connection: node:cluster hands each new connection to the next worker. */
function freshGet(
  port: number,
  path: string,
  token = TEST_ADMIN_TOKEN,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
        timeout: 5_000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within 5 s`)));
    req.end();
  });
}

function workerPids(primary: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * The API in several processes (API_WORKERS=2, node:cluster): one rate limit per key across workers, the metrics of
 * all of them in every scrape, a crashed worker replaced, and nothing left running or listening after a stop.
 */
describe('API workers', () => {
  let context: TestContext;
  let api: RunningService;
  const LIMIT = 12;
  const FAILED_AUTH_LIMIT = 4;

  beforeAll(async () => {
    context = await createTestContext('workers', {
      deployContracts: false,
      env: {
        API_WORKERS: '2',
        API_RATE_LIMIT_PER_MINUTE: String(LIMIT),
        API_FAILED_AUTH_PER_MINUTE: String(FAILED_AUTH_LIMIT),
      },
    });
    api = await startService('api', context.env);
  });

  afterAll(async () => {
    await api?.stop();
    await context?.cleanup();
  });

  it('runs a primary and two workers', async () => {
    const workers = await waitFor('two workers', () =>
      Promise.resolve(workerPids(api.process.pid!).length === 2 && workerPids(api.process.pid!)),
    );
    expect(workers).toHaveLength(2);
  });

  it('counts every worker in one scrape of /metrics', async () => {
    const verifications = 8;
    for (let i = 0; i < verifications; i++) {
      // A GTIN no member has: answered without the chain, and counted by the worker that answered.
      const answer = await freshGet(api.port, `/v1/verify?gtin=09999999999994&serial=W${i}`);
      expect(answer.status).toBe(200);
    }
    for (let scrape = 0; scrape < 4; scrape++) {
      const metrics = await freshGet(api.port, '/metrics');
      const counted = [...metrics.body.matchAll(/^pedigree_api_verifications_total\{[^}]*\} (\d+)/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      expect(counted).toBe(verifications);
    }
  });

  it('holds one rate limit per key across the workers', async () => {
    // The metrics test made 8 limited requests with the admin token (scrapes are not limited).
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await freshGet(api.port, '/v1/me')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT - 8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(8 - (LIMIT - 8));
  });

  it('counts failed authentications from one address across the workers', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await freshGet(api.port, '/v1/me', `pdg_guess_${i}_${'x'.repeat(40)}`)).status);
    // Each worker learns the address's total when it records a failure: at most one attempt more per other worker.
    const refusedAsWrong = statuses.filter((s) => s === 401).length;
    expect(refusedAsWrong).toBeGreaterThanOrEqual(FAILED_AUTH_LIMIT);
    expect(refusedAsWrong).toBeLessThanOrEqual(FAILED_AUTH_LIMIT + 1);
    expect(statuses.filter((s) => s === 429).length).toBe(10 - refusedAsWrong);
  });

  it('replaces a worker that dies, and keeps answering meanwhile', async () => {
    const [victim] = workerPids(api.process.pid!);
    process.kill(victim!, 'SIGKILL');
    // A connection the primary hands out before it has noticed the death goes to the dead worker and is lost (as
    // any request in flight on a killed process is); the next one reaches the surviving worker.
    const answered = await waitFor(
      'an answer while the worker is replaced',
      async () => (await freshGet(api.port, '/health/live')).status === 200,
      20_000,
    );
    expect(answered).toBe(true);
    const replaced = await waitFor(
      'a new worker',
      () => {
        const pids = workerPids(api.process.pid!);
        return Promise.resolve(pids.length === 2 && !pids.includes(victim!) && pids);
      },
      30_000,
    );
    expect(replaced).toHaveLength(2);
    await waitFor('the new worker answering', async () => {
      const answers = await Promise.all([1, 2, 3, 4].map(() => freshGet(api.port, '/health')));
      return answers.every((a) => a.status === 200);
    });
  });

  it('stops every process it started, and the port closes', async () => {
    const pids = [api.process.pid!, ...workerPids(api.process.pid!)];
    expect(pids).toHaveLength(3);
    await api.stop();
    await waitFor('all processes gone', () => Promise.resolve(pids.every((pid) => !alive(pid))), 20_000);
    expect(await portOpen(api.port)).toBe(false);
  });
});
