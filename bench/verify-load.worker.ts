// Runs in its own process (the benchmark's "second process"): verification requests at a fixed rate with autocannon,
// against 127.0.0.1 only, for a bounded duration. Prints one JSON line with the latency distribution.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

interface Args {
  url: string;
  key: string;
  rate: number;
  seconds: number;
  pathsFile?: string;
  path?: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(args.url)) throw new Error('load goes to 127.0.0.1 only');
  const paths = args.pathsFile
    ? (JSON.parse(readFileSync(args.pathsFile, 'utf8')) as string[])
    : [args.path ?? '/health/live'];
  let i = 0;
  const result = await autocannon({
    url: args.url,
    connections: 64,
    pipelining: 1,
    overallRate: args.rate,
    duration: Math.min(600, args.seconds),
    headers: { authorization: `Bearer ${args.key}` },
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      requests: result.requests.total,
      rate: result.requests.average,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.average,
      },
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
