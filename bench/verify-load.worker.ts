// Runs in its own process (the benchmark's "second process"): requests at a constant arrival rate against 127.0.0.1
// only, for a bounded duration. Prints one JSON line with the latency distribution.
//
// Why not autocannon: its rate limit hands each connection its quota at the top of every second, so "1,000 req/s"
// is 1,000 requests fired together once a second and the latencies measure that burst's queue. This is an open-loop
// generator instead (as wrk2 or k6's constant-arrival-rate): request i is due at start + i/rate whether or not earlier
// ones have answered, and its latency runs from when it was due, so a stalled server is not hidden by a stalled
// client (coordinated omission).
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

interface Args {
  url: string;
  key: string;
  rate: number;
  seconds: number;
  pathsFile?: string;
  path?: string;
  /** Sockets kept open (default 64); requests beyond them wait in the agent's queue, and that wait counts. */
  connections?: number;
}

export interface LoadSummary {
  requests: number;
  rate: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU this load generator used (ms), to count it beside the server's: they share the machine's cores. */
  cpuMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  const target = new URL(args.url);
  if (target.hostname !== '127.0.0.1' || target.protocol !== 'http:')
    throw new Error('load goes to http://127.0.0.1 only');
  if (!(args.rate > 0 && args.rate <= 20_000)) throw new Error('rate must be in (0, 20000]');
  const seconds = Math.min(600, Math.max(1, args.seconds));
  const paths = args.pathsFile
    ? (JSON.parse(readFileSync(args.pathsFile, 'utf8')) as string[])
    : [args.path ?? '/health/live'];
  const agent = new Agent({ keepAlive: true, maxSockets: args.connections ?? 64 });
  const total = Math.round(args.rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let sent = 0;
  let finished = 0;
  const started = performance.now();

  const fire = (index: number): void => {
    const due = started + (index * 1000) / args.rate;
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: paths[index % paths.length],
        method: 'GET',
        agent,
        headers: { authorization: `Bearer ${args.key}` },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.once('end', () => {
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
          else latencies.push(performance.now() - due);
          finished++;
        });
      },
    );
    req.once('timeout', () => {
      timeouts++;
      req.destroy(new Error('timeout'));
    });
    req.once('error', () => {
      errors++;
      finished++;
    });
    req.end();
  };

  // Bounded: every request is sent by `seconds`, and the wait for answers ends 15 s after that.
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * args.rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const deadline = performance.now() + 15_000;
  while (finished < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  const summary: LoadSummary = {
    requests: finished,
    rate: round(latencies.length / elapsed),
    errors,
    timeouts,
    non2xx,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    },
    cpuMs: round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
