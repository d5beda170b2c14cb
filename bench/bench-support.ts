// Shared plumbing for the benchmarks: an isolated schema and topic prefix on the real infrastructure, process RSS
// sampling, and result files under bench/results/.
import { Kafka, logLevel } from 'kafkajs';
import { Wallet } from 'ethers';
import { randomBytes } from 'node:crypto';
import { inheritedEnv, loadBenchConfig, loadConfig, type PedigreeConfig } from '@pedigree/config';
import { runMigrations } from '@pedigree/database';
import { createKafka, deleteTopics, ensureTopics } from '@pedigree/messaging';
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'bench', 'results');
/** The BENCH_* settings, validated when a benchmark starts, before it touches any infrastructure. */
export const BENCH = loadBenchConfig();

export function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/**
 * A child process's environment: the caller's PATH and HOME only (nothing else of the caller's could change the
 * measured run), then `layers` in order.
 */
export function childEnv(...layers: Record<string, string>[]): Record<string, string> {
  return layers.reduce((env, layer) => ({ ...env, ...layer }), inheritedEnv(['PATH', 'HOME']));
}

export interface BenchContext {
  id: string;
  env: Record<string, string>;
  config: PedigreeConfig;
  cleanup(): Promise<void>;
}

const UP = 'start it with `bash infra/up.sh` (PostgreSQL, Kafka and the Hardhat node; idempotent)';

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

/** Benchmarks run on the real infrastructure: say which piece is missing before anything else fails obscurely. */
async function infrastructureReady(config: PedigreeConfig): Promise<void> {
  const db = new Client({ connectionString: config.databaseUrl });
  try {
    await db.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not ready for the benchmarks (${(error as Error).message}): ${UP}`);
  } finally {
    await db.end().catch(() => undefined);
  }
  const [host, port] = config.kafkaBrokers[0]!.split(':');
  if (!(await listening(host!, Number(port))))
    throw new Error(`Kafka does not answer on ${config.kafkaBrokers[0]}: ${UP}`);
  const chain = new URL(config.chainRpcUrl);
  if (!(await listening(chain.hostname, Number(chain.port || 80))))
    throw new Error(`the chain does not answer on ${chain.host}: ${UP}`);
}

/** Its own schema in the test database and its own topics: a benchmark never touches demo or test data. */
export async function benchContext(name: string, extra: Record<string, string> = {}): Promise<BenchContext> {
  const id = `bench_${name}_${Date.now().toString(36)}`;
  const relay = Wallet.createRandom();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: 'postgres://pedigree@127.0.0.1:5432/pedigree_test',
    DATABASE_SCHEMA: id,
    KAFKA_TOPIC_PREFIX: id.replace(/_/g, '-'),
    KAFKA_CLIENT_ID: id,
    INGEST_CONSUMER_GROUP: `${id}-ingest`,
    EPCIS_STANDARD_DIR: resolve(ROOT, '..', 'shared', 'conformance', 'epcis'),
    EPCIS_XSD_DIR: resolve(ROOT, '..', 'shared', 'conformance', 'epcis-xml', 'xsd'),
    PEDIGREE_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdefghijklmn',
    API_RELAY_PRIVATE_KEY: relay.privateKey,
    INGEST_TRUSTED_RELAYS: relay.address,
    LEDGER_OUTBOX_SECRET: randomBytes(32).toString('hex'),
    ...extra,
  };
  const config = loadConfig('tool', env);
  await infrastructureReady(config);
  await runMigrations(config);
  await ensureTopics(createKafka(config, 'bench-admin'), config);
  return {
    id,
    env,
    config,
    async cleanup() {
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${config.databaseSchema}" CASCADE`);
      await client.end();
      await deleteTopics(createKafka(config, 'bench-admin'), config.kafkaTopicPrefix).catch(() => undefined);
    },
  };
}

/** Resident set size of a process, from /proc (kB → MiB). */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Events ingest has committed so far: those in anchor batches plus those its outbox entries still hold for the
 * ledger (read in one snapshot, from two small tables and a partial index). The benchmarks polled `count(*)` of
 * epcis_events every second instead: a parallel sequential scan of a table of gigabytes at 1 M events, which took
 * PostgreSQL CPU from the very run it measured. Alert and model entries anchor digests too; no benchmark writes any.
 */
export async function committedEvents(db: Client): Promise<number> {
  const { rows } = await db.query<{ events: string }>(
    `SELECT (SELECT coalesce(sum(event_count), 0) FROM anchor_batches)
          + (SELECT coalesce(sum(event_count), 0) FROM ledger_outbox
              WHERE kind = 'anchor' AND processed_at IS NULL) AS events`,
  );
  return Number(rows[0]!.events);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux's common builds). */
const USER_HZ = 100;

/** CPU time (ms) a process has used so far, user and system, from /proc; 0 once it is gone. */
function cpuMsOfPid(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return 0;
  }
}

function processes(): { pid: number; ppid: number; comm: string }[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(d), ppid, comm }];
      } catch {
        return [];
      }
    });
}

/** A process and its descendants (a clustered service's primary and workers). */
export function processTree(root: number): number[] {
  const all = processes();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i]).map((p) => p.pid));
  return tree;
}

/** PostgreSQL's processes on this machine (the server the benchmarks use is local). */
export function postgresPids(): number[] {
  return processes()
    .filter((p) => p.comm === 'postgres')
    .map((p) => p.pid);
}

/**
 * CPU (ms) a changing set of processes uses from now until `stop()`. The set is re-read every half second: a
 * PostgreSQL pool opens and closes backends during a run, and a fixed list taken at the start missed the new ones and
 * lost the ones that closed (the per-request figure came out negative). A process born during the run counts from 0;
 * one that exits counts up to its last reading.
 */
export function cpuMeter(select: () => number[]): { stop: () => number } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const read = (born: boolean) => {
    for (const pid of select()) {
      const ms = cpuMsOfPid(pid);
      if (!first.has(pid)) first.set(pid, born ? 0 : ms);
      if (ms > 0) last.set(pid, ms);
    }
  };
  read(false);
  const timer = setInterval(() => read(true), 500);
  return {
    stop: () => {
      clearInterval(timer);
      read(true);
      let total = 0;
      for (const [pid, start] of first) total += (last.get(pid) ?? start) - start;
      return total;
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function writeResult(name: string, result: object, markdown: string): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, `${name}.json`),
    `${JSON.stringify({ ...result, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
  writeFileSync(join(RESULTS, `${name}.md`), `${markdown.trim()}\n`);
  log(`results written to bench/results/${name}.json and .md`);
}

export function machine(): { cpus: number; node: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof import('node:os');
  return { cpus: os.cpus().length, node: process.version };
}

/** The benchmark's own Kafka client, on the services' SASL account (the ceilings and producers use it). */
export function benchKafka(ctx: BenchContext): Kafka {
  return new Kafka({
    clientId: `${ctx.id}-bench`,
    brokers: ctx.config.kafkaBrokers,
    sasl: {
      mechanism: 'scram-sha-512',
      username: ctx.config.kafkaSaslUsername,
      password: ctx.config.kafkaSaslPassword,
    },
    logLevel: logLevel.NOTHING,
  });
}

/** Services this benchmark started and that are still running: stopped if it dies first. */
const running = new Set<ChildProcess>();
// An uncaught error (a log file that could not be opened) ended the benchmark and left its services listening.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export function service(
  name: string,
  ctx: BenchContext,
  port: number,
  extra: Record<string, string> = {},
): ChildProcess {
  // BENCH_PROFILE=dir writes a V8 CPU profile per service run under dir/<service>/ (open in Chrome DevTools).
  const profile = BENCH.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(BENCH.profileDir, name)}`] : [];
  // BENCH_NODE_FLAGS="--trace-gc ..." passes V8/Node flags to every service (their output goes to the service's log).
  const flags = BENCH.nodeFlags.split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...profile, ...flags, join(ROOT, 'dist', 'apps', name, 'src', 'main.js')],
    {
      cwd: ROOT,
      env: childEnv(ctx.env, extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  mkdirSync(join(ROOT, '.pedigree'), { recursive: true });
  const logFile = createWriteStream(join(ROOT, '.pedigree', `bench-${name}.log`));
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  void port;
  return child;
}

/** SIGTERM and wait for the exit (at most 20 s), so a stopped service does not compete with the next step. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function waitHealthy(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`a service exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`service on ${port} not healthy`);
}
