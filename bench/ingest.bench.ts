// `npm run bench:ingest`: sustained ingest throughput, Kafka produce → committed in PostgreSQL, on a realistic mix of
// ≥ 1 million events across thousands of lots with aggregation; peak and trend of the ingest process's RSS; and,
// in the same run on the same data, the two raw ceilings: kafkajs consume-only and PostgreSQL COPY.
// BENCH_EVENTS sets the size (default 1,000,000). Results: bench/results/ingest.json and .md.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { recoverOrigin, signDocument, topicName, Topics } from '@pedigree/messaging';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { OutboxSeal } from '@pedigree/database';
import { from as copyFrom } from 'pg-copy-streams';
import {
  BENCH,
  benchContext,
  benchKafka,
  type BenchContext,
  childEnv,
  committedEvents,
  log,
  machine,
  percentile,
  ROOT,
  rssMiB,
  writeResult,
} from './bench-support';
import { EVENTS_PER_LOT, FLOW_ORGANISATIONS, lotFlow } from './supply-flow.generator';

const TARGET_EVENTS = BENCH.events;
const LOTS = Math.ceil(TARGET_EVENTS / EVENTS_PER_LOT);
const INGEST_PORT = 3901;

/** Members straight into the table; with `onChain`, queued for the ledger to register (custody needs it). */
export async function registerOrganisations(ctx: BenchContext, onChain = false): Promise<void> {
  const db = new Client({
    connectionString: ctx.config.databaseUrl,
    options: `-c search_path=${ctx.config.databaseSchema}`,
  });
  await db.connect();
  let index = 10;
  for (const org of FLOW_ORGANISATIONS) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO organisations (name, role, company_prefixes, glns, chain_account_index, chain_status, signing_addresses)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        org.name,
        org.role,
        [org.prefix],
        org.glns,
        index++,
        onChain ? 'pending' : 'registered',
        [org.signer.address.toLowerCase()],
      ],
    );
    if (onChain) {
      const payload = { action: 'register', organisationId: rows[0]!.id };
      await db.query(`INSERT INTO ledger_outbox (kind, payload, seal) VALUES ('participant', $1, $2)`, [
        JSON.stringify(payload),
        new OutboxSeal(ctx.config.ledgerOutboxSecret!).seal('participant', payload),
      ]);
    }
  }
  await db.end();
}

export interface ProduceStats {
  messages: number;
  events: number;
  bytes: number;
  seconds: number;
  sampleEvents: Record<string, unknown>[];
  /** Ingest's cost of authenticating one document (EIP-712 signature recovery), measured on a sample. */
  authSecondsPerDocument: number;
}

const AUTH_SAMPLE = 2000;

/** Times ingest's own authentication code (recoverOrigin) on real signed documents of this run. */
function authenticationCost(samples: { value: Buffer; headers: Record<string, string> }[]): number {
  for (const sample of samples.slice(0, 50)) recoverOrigin(sample.value, sample.headers); // warm-up
  const started = process.hrtime.bigint();
  for (const sample of samples) recoverOrigin(sample.value, sample.headers);
  return Number(process.hrtime.bigint() - started) / 1e9 / Math.max(1, samples.length);
}

/** Ingest throughput with authentication, and what the same run would reach without it. */
export function authenticationShare(
  produced: ProduceStats,
  ingestSeconds: number,
): { share: number; eventsPerSecondWith: number; eventsPerSecondWithout: number } {
  const authSeconds = produced.authSecondsPerDocument * produced.messages;
  return {
    share: authSeconds / ingestSeconds,
    eventsPerSecondWith: produced.events / ingestSeconds,
    eventsPerSecondWithout: produced.events / Math.max(1e-9, ingestSeconds - authSeconds),
  };
}

export async function produce(ctx: BenchContext, kafka: Kafka, lots = LOTS): Promise<ProduceStats> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const topic = topicName(Topics.epcisEvents, ctx.config.kafkaTopicPrefix);
  const base = new Date(Date.now() - 30 * 86_400_000);
  const stats: ProduceStats = {
    messages: 0,
    events: 0,
    bytes: 0,
    seconds: 0,
    sampleEvents: [],
    authSecondsPerDocument: 0,
  };
  const authSamples: { value: Buffer; headers: Record<string, string> }[] = [];
  const started = process.hrtime.bigint();
  let pending: { key: string; value: Buffer; headers: Record<string, string> }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await producer.send({ topic, acks: -1, messages: pending });
    pending = [];
  };
  for (let lot = 0; lot < lots; lot++) {
    for (const message of lotFlow(lot, base)) {
      // Each member signs its own documents, as a member's producer does (the signing is not timed by ingest).
      pending.push({
        key: message.key,
        value: message.value,
        headers: {
          'bench-events': String(message.events),
          ...(await signDocument(message.publisher.signer, message.value)),
        },
      });
      if (authSamples.length < AUTH_SAMPLE) authSamples.push(pending[pending.length - 1]!);
      stats.messages++;
      stats.events += message.events;
      stats.bytes += message.value.length;
      if (stats.sampleEvents.length < 50_000) stats.sampleEvents.push(...message.eventList);
    }
    if (pending.length >= 200) await flush();
    if (lot % 500 === 0) log(`produced ${stats.events.toLocaleString()} events`);
  }
  await flush();
  stats.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  stats.authSecondsPerDocument = authenticationCost(authSamples);
  return stats;
}

/** Ceiling 1: how fast kafkajs alone drains the topic (no parsing, offsets committed per batch). */
export async function consumeOnly(
  ctx: BenchContext,
  kafka: Kafka,
  expectedMessages: number,
): Promise<{ seconds: number; events: number }> {
  const consumer = kafka.consumer({
    groupId: `${ctx.id}-raw-${randomBytes(3).toString('hex')}`,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({
    topic: topicName(Topics.epcisEvents, ctx.config.kafkaTopicPrefix),
    fromBeginning: true,
  });
  let messages = 0;
  let events = 0;
  let first = 0n;
  let last = 0n;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (first === 0n) first = process.hrtime.bigint();
        for (const message of batch.messages) {
          messages++;
          events += Number(message.headers?.['bench-events']?.toString() ?? 0);
          payload.resolveOffset(message.offset);
        }
        const lastOffset = batch.messages[batch.messages.length - 1]!.offset;
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() },
        ]);
        last = process.hrtime.bigint();
        if (messages >= expectedMessages) resolve();
      },
    });
  });
  await consumer.disconnect();
  return { seconds: Number(last - first) / 1e9, events };
}

/** Ceiling 2: raw COPY of event rows into a table shaped and indexed like epcis_events (same payloads). */
export async function copyOnly(
  ctx: BenchContext,
  sample: Record<string, unknown>[],
  totalEvents: number,
): Promise<{ seconds: number; rows: number }> {
  const db = new Client({
    connectionString: ctx.config.databaseUrl,
    options: `-c search_path=${ctx.config.databaseSchema}`,
  });
  await db.connect();
  await db.query(`CREATE TABLE copy_ceiling (LIKE epcis_events INCLUDING ALL)`);
  const chunk = 2000;
  let rows = 0;
  const started = process.hrtime.bigint();
  while (rows < totalEvents) {
    const lines: string[] = [];
    for (let i = 0; i < chunk && rows + i < totalEvents; i++) {
      const event = sample[(rows + i) % sample.length]!;
      const epcs = (
        (event.epcList as string[] | undefined) ??
        (event.childEPCs as string[] | undefined) ??
        []
      )
        .map((e) => `"${e}"`)
        .join(',');
      const payload = JSON.stringify({ ...event, n: rows + i }).replace(/\\/g, '\\\\');
      lines.push(
        `\\\\x${randomBytes(32).toString('hex')}\t\\N\t${String(event.type)}\t${typeof event.action === 'string' ? event.action : '\\N'}\t${typeof event.bizStep === 'string' ? event.bizStep : '\\N'}\t\\N\t${String(event.eventTime)}\t+00:00\t\\N\t\\N\t{${epcs}}\t{}\t${payload}\t[]\t\\N\t\\N\tbench\n`,
      );
    }
    await db.query('BEGIN');
    await pipeline(
      Readable.from(lines),
      db.query(
        copyFrom(`COPY copy_ceiling (event_hash, event_id, event_type, action, biz_step, disposition, event_time, event_time_zone_offset,
          read_point, biz_location, epcs, epc_classes, payload, flags, publisher_org_id, capture_id, source) FROM STDIN`),
      ),
    );
    await db.query('COMMIT');
    rows += lines.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await db.query(`DROP TABLE copy_ceiling`);
  await db.end();
  return { seconds, rows };
}

interface IngestRun {
  seconds: number;
  steadySeconds: number;
  events: number;
  rss: { t: number; mib: number }[];
  progress: { t: number; events: number }[];
}

let phases: Record<string, number> = {};

/** Seconds spent per pipeline phase, from the ingest process's Prometheus histogram sums. */
function phaseBreakdown(metrics: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of metrics.matchAll(/pedigree_ingest_phase_seconds_sum\{phase="([\w-]+)"\} ([\d.e+-]+)/g))
    out[match[1]!] = Number(match[2]);
  return out;
}

/** One ingest process (of `members` in one consumer group), with its own health and metrics port. */
function startIngest(ctx: BenchContext, member: number): ChildProcess {
  // BENCH_PROFILE=dir writes a V8 CPU profile of the ingest process there, to see where the time goes.
  const profile = BENCH.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${BENCH.profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, join(ROOT, 'dist', 'apps', 'ingest', 'src', 'main.js')],
    {
      cwd: ROOT,
      env: childEnv(ctx.env, { INGEST_PORT: String(INGEST_PORT + member) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logFile = createWriteStream(join(ROOT, '.pedigree', `bench-ingest${member ? `-${member}` : ''}.log`));
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  return child;
}

/** Ingest of the produced events by `members` processes in one consumer group, until all are stored. */
export async function ingest(ctx: BenchContext, totalEvents: number, members = 1): Promise<IngestRun> {
  const db = new Client({
    connectionString: ctx.config.databaseUrl,
    options: `-c search_path=${ctx.config.databaseSchema}`,
  });
  await db.connect();
  const children = Array.from({ length: members }, (_, member) => startIngest(ctx, member));
  const child = children[0]!;
  const started = Date.now();
  const rss: { t: number; mib: number }[] = [];
  const progress: { t: number; events: number }[] = [];
  let stalledSince = Date.now();
  let lastCount = -1;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const exited = children.find((c) => c.exitCode !== null);
      if (exited) throw new Error(`an ingest member exited with code ${exited.exitCode}`);
      const t = (Date.now() - started) / 1000;
      const mib = rssMiB(child.pid!);
      if (mib !== undefined) rss.push({ t, mib });
      const count = await committedEvents(db);
      progress.push({ t, events: count });
      if (progress.length % 10 === 0)
        log(`ingested ~${count.toLocaleString()} events, ingest RSS ${mib?.toFixed(0)} MiB`);
      if (count >= totalEvents) break;
      if (count !== lastCount) {
        lastCount = count;
        stalledSince = Date.now();
      } else if (Date.now() - stalledSince > 120_000)
        throw new Error(`ingest stalled at ${count} of ${totalEvents} events`);
    }
  } finally {
    phases = await fetch(`http://127.0.0.1:${INGEST_PORT}/metrics`)
      .then((r) => r.text())
      .then(phaseBreakdown)
      .catch(() => ({}));
    for (const c of children) c.kill('SIGTERM');
    await db.end();
  }
  const firstCommit = progress.find((p) => p.events > 0)?.t ?? 0;
  const end = progress[progress.length - 1]!.t;
  // Steady state: the middle 80% of the events, free of start-up and the tail.
  const at = (fraction: number) => progress.find((p) => p.events >= totalEvents * fraction)!.t;
  return { seconds: end - firstCommit, steadySeconds: at(0.9) - at(0.1), events: totalEvents, rss, progress };
}

async function main(): Promise<void> {
  const ctx = await benchContext('ingest', { KAFKA_TOPIC_PARTITIONS: '3' });
  const kafka = benchKafka(ctx);
  try {
    await registerOrganisations(ctx);
    log(`producing ${LOTS} lots (~${(LOTS * EVENTS_PER_LOT).toLocaleString()} events)`);
    const produced = await produce(ctx, kafka);
    log(
      `produced ${produced.events.toLocaleString()} events in ${produced.messages} documents (${(produced.bytes / 1e6).toFixed(0)} MB) in ${produced.seconds.toFixed(1)} s`,
    );
    const raw = await consumeOnly(ctx, kafka, produced.messages);
    log(`kafkajs consume-only: ${(raw.events / raw.seconds).toFixed(0)} events/s`);
    const copy = await copyOnly(ctx, produced.sampleEvents, produced.events);
    log(`PostgreSQL COPY: ${(copy.rows / copy.seconds).toFixed(0)} rows/s`);
    const run = await ingest(ctx, produced.events);
    const rate = run.events / run.seconds;
    const steady = (0.8 * run.events) / run.steadySeconds;
    const rssValues = run.rss.map((r) => r.mib).sort((a, b) => a - b);
    const quarter = Math.max(1, Math.floor(run.rss.length / 4));
    const early = run.rss.slice(0, quarter).reduce((s, r) => s + r.mib, 0) / quarter;
    const late = run.rss.slice(-quarter).reduce((s, r) => s + r.mib, 0) / quarter;
    const ceilings = { kafkaConsumeOnly: raw.events / raw.seconds, postgresCopy: copy.rows / copy.seconds };
    const lower = Math.min(ceilings.kafkaConsumeOnly, ceilings.postgresCopy);
    const result = {
      machine: machine(),
      events: produced.events,
      documents: produced.messages,
      lots: LOTS,
      megabytes: produced.bytes / 1e6,
      produceEventsPerSecond: produced.events / produced.seconds,
      ingest: { eventsPerSecond: rate, steadyEventsPerSecond: steady, seconds: run.seconds },
      ceilings,
      ratioToLowerCeiling: steady / lower,
      authentication: authenticationShare(produced, run.seconds),
      phaseSeconds: phases,
      ingestRssMiB: {
        peak: rssValues[rssValues.length - 1],
        p50: percentile(rssValues, 50),
        firstQuarterMean: early,
        lastQuarterMean: late,
      },
      progress: run.progress,
      rss: run.rss,
    };
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    writeResult(
      'ingest',
      result,
      `
# Ingest benchmark

${fmt(produced.events)} events in ${fmt(produced.messages)} EPCIS documents (${LOTS} lots, ${(produced.bytes / 1e6).toFixed(0)} MB), one ingest
worker, 3 partitions, ${machine().cpus} cores shared with Kafka and PostgreSQL. Run: \`npm run bench:ingest\`.

| measure | events/s |
| --- | ---: |
| ingest, produce → committed in PostgreSQL (steady state, 10–90 %) | ${fmt(steady)} |
| ingest, whole run | ${fmt(rate)} |
| ceiling: kafkajs consume-only | ${fmt(ceilings.kafkaConsumeOnly)} |
| ceiling: PostgreSQL COPY (rows/s, same payloads, same indexes) | ${fmt(ceilings.postgresCopy)} |
| ratio to the lower ceiling | ${(100 * result.ratioToLowerCeiling).toFixed(0)} % |
| ingest, whole run, without authenticating publishers (same run, signature recovery subtracted) | ${fmt(result.authentication.eventsPerSecondWithout)} |

Authenticating publishers (EIP-712 signature recovery per document, ${(produced.authSecondsPerDocument * 1000).toFixed(2)} ms) takes
${(100 * result.authentication.share).toFixed(1)} % of ingest time; the broker's SASL/SCRAM costs one handshake per connection.

Time per pipeline phase (s, summed over batches; partitions overlap): ${Object.entries(phases)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}.

Ingest RSS: peak ${result.ingestRssMiB.peak?.toFixed(0)} MiB, mean of the first quarter ${early.toFixed(0)} MiB, of the last quarter ${late.toFixed(0)} MiB.
`,
    );
  } finally {
    await ctx.cleanup();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  });
}
