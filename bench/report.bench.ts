// `npm run bench`: every benchmark in one run on one data set, written to bench/results/latest.json and latest.md.
//   1. produce a realistic mix (BENCH_EVENTS, default 1,000,000) to Kafka; raw ceilings (kafkajs consume-only, COPY)
//   2. ingest and ledger together: ingest rate, RSS, anchoring lag (committed in PostgreSQL → anchored and confirmed)
//   3. gas: per-event custody writes versus batched anchoring (live transactions and the contract gas snapshots)
//   4. verification under open-loop load from a second process against ≥ 1 M events: a sweep of rates
//      (BENCH_VERIFY_SWEEP, default 250,500,750, plus BENCH_VERIFY_RATE, default 1,000) for BENCH_VERIFY_SECONDS each,
//      each beside a trivial health endpoint at the same rate
//   5. the model evaluations' figures (bench/results/anomaly-eval.json, forecast-eval.json) when they exist
//   6. soak (BENCH_STEPS=soak, npm run bench:soak): new lots produced at the measured ingest rate for BENCH_SOAK_SECONDS
//      (default 600) with verification at BENCH_SOAK_VERIFY_RATE (default BENCH_VERIFY_RATE) alongside, and the anchoring
//      lag of the events committed meanwhile; RSS of ingest, ledger and api sampled every 5 s
// BENCH_STEPS=ingest,chain,verify runs a subset (npm run bench:chain / bench:verify set it); BENCH_PROFILE=dir profiles
// the services.
import { ACCOUNT_INDEX, createChainProvider, deriveSigner } from '@pedigree/chain';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, parseEther, Wallet } from 'ethers';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { signDocument, topicName, Topics } from '@pedigree/messaging';
import { deployPedigree } from '../contracts/scripts/deploy';
import {
  BENCH,
  benchContext,
  committedEvents,
  benchKafka,
  type BenchContext,
  log,
  service,
  stopChild,
  waitHealthy,
  machine,
  cpuMeter,
  postgresPids,
  processTree,
  RESULTS,
  ROOT,
  rssMiB,
  writeResult,
} from './bench-support';
import { authenticationShare, consumeOnly, copyOnly, produce, registerOrganisations } from './ingest.bench';
import { EVENTS_PER_LOT, lotFlow } from './supply-flow.generator';
import { writePerfTable } from '../infra/scripts/perf-table';
import type { LoadSummary } from './verify-load.worker';

const STEPS = new Set(BENCH.steps);
const TARGET_EVENTS = BENCH.events;
const VERIFY_SECONDS = BENCH.verifySeconds;
const VERIFY_RATE = BENCH.verifyRate;
/** Rates of the verification sweep (req/s); the goal's rate is always among them. */
const VERIFY_SWEEP = [...new Set([...BENCH.verifySweep, VERIFY_RATE])].sort((a, b) => a - b);
/** API processes (API_WORKERS) serving verification: the machine's two cores, shared with PostgreSQL. */
const API_WORKERS = BENCH.apiWorkers;
const SOAK_SECONDS = BENCH.soakSeconds;
const SOAK_VERIFY_RATE = BENCH.soakVerifyRate;
const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

async function probeNonce(url: string, address: string): Promise<number> {
  const probe = new JsonRpcProvider(url);
  try {
    return await probe.getTransactionCount(address, 'pending');
  } finally {
    probe.destroy();
  }
}

async function deploy(ctx: BenchContext): Promise<void> {
  const probe = new JsonRpcProvider(ctx.config.chainRpcUrl);
  const chainId = Number((await probe.getNetwork()).chainId);
  probe.destroy();
  const provider = createChainProvider(ctx.config.chainRpcUrl, chainId);
  const funder = deriveSigner(HARDHAT_MNEMONIC, 97, provider);
  // Explicit nonces: the provider caches reads briefly, and the funder is shared with the test suites.
  let nonce = await probeNonce(ctx.config.chainRpcUrl, await funder.getAddress());
  for (const index of [ACCOUNT_INDEX.consortiumAdmin, ACCOUNT_INDEX.anchorer]) {
    const to = await deriveSigner(ctx.config.ledgerMnemonic!, index).getAddress();
    await (await funder.sendTransaction({ to, value: parseEther('20'), nonce: nonce++ })).wait(1);
  }
  const deployer = deriveSigner(ctx.config.ledgerMnemonic!, ACCOUNT_INDEX.consortiumAdmin, provider);
  const anchorer = await deriveSigner(ctx.config.ledgerMnemonic!, ACCOUNT_INDEX.anchorer).getAddress();
  const deployed = await deployPedigree(deployer, { anchorer });
  const genesis = await provider.getBlock(0);
  writeFileSync(
    ctx.config.chainDeploymentFile,
    JSON.stringify({
      chainId,
      genesisHash: genesis!.hash,
      deployedAtBlock: deployed.blockNumber,
      contracts: {
        ParticipantRegistry: deployed.registry,
        CustodyLedger: deployed.custody,
        EventAnchor: deployed.anchor,
      },
      deployer: await deployer.getAddress(),
      anchorer,
    }),
  );
  provider.destroy();
}

interface PipelineRun {
  events: number;
  ingestSteadyEventsPerSecond: number;
  ingestSeconds: number;
  anchoredSeconds: number;
  lagSeconds: Lag;
  gasPerEventAnchoring: number;
  /** Mean events per anchored batch: batches grow up to LEDGER_BATCH_MAX_EVENTS while the ledger catches up. */
  eventsPerBatch: number;
  ingestRss: { peak: number; firstQuarterMean: number; lastQuarterMean: number };
  stateMap: { leaves: number; nodes: number };
}

async function pipelineRun(ctx: BenchContext, db: Client, total: number): Promise<PipelineRun> {
  const ingest = service('ingest', ctx, 3911, { INGEST_PORT: '3911' });
  const ledger = service('ledger', ctx, 3912, { LEDGER_PORT: '3912' });
  await waitHealthy(3911, ingest);
  await waitHealthy(3912, ledger);
  const started = Date.now();
  const progress: { t: number; events: number }[] = [];
  const rss: number[] = [];
  let anchoredAt = 0;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const t = (Date.now() - started) / 1000;
      const mib = rssMiB(ingest.pid!);
      if (mib) rss.push(mib);
      const events = await committedEvents(db);
      const { rows } = await db.query<{ anchored: string }>(
        `SELECT coalesce(sum(event_count), 0) AS anchored FROM anchor_batches WHERE status = 'confirmed'`,
      );
      const anchored = Number(rows[0]!.anchored);
      progress.push({ t, events });
      if (progress.length % 15 === 0)
        log(`ingested ${events.toLocaleString()}, anchored ${anchored.toLocaleString()}`);
      if (events >= total && anchored >= total) {
        anchoredAt = t;
        break;
      }
      if (t > 3600) throw new Error('pipeline run exceeded an hour');
    }
  } finally {
    await Promise.all([stopChild(ingest), stopChild(ledger)]);
  }
  const at = (fraction: number) => progress.find((p) => p.events >= total * fraction)!.t;
  const lag = await anchoringLag(db);
  const gas = await db.query<{ per_event: number; per_batch: number }>(
    `SELECT sum(gas_used)::float / sum(event_count) AS per_event, avg(event_count)::float AS per_batch
       FROM anchor_batches WHERE status = 'confirmed'`,
  );
  const quarter = Math.max(1, Math.floor(rss.length / 4));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const map = await db.query<{ leaves: string; nodes: string }>(
    `SELECT (SELECT count(*) FROM packs) AS leaves,
            (SELECT count(*) FROM state_trie_nodes) AS nodes`,
  );
  return {
    stateMap: { leaves: Number(map.rows[0]!.leaves), nodes: Number(map.rows[0]!.nodes) },
    events: total,
    ingestSteadyEventsPerSecond: (0.8 * total) / (at(0.9) - at(0.1)),
    ingestSeconds: at(1) - (progress.find((p) => p.events > 0)?.t ?? 0),
    anchoredSeconds: anchoredAt,
    lagSeconds: lag,
    gasPerEventAnchoring: Number(gas.rows[0]!.per_event),
    eventsPerBatch: Number(gas.rows[0]!.per_batch),
    ingestRss: {
      peak: Math.max(...rss),
      firstQuarterMean: mean(rss.slice(0, quarter)),
      lastQuarterMean: mean(rss.slice(-quarter)),
    },
  };
}

interface Lag {
  p50: number;
  p99: number;
  max: number;
  events: number;
  /** The same from the ingest transaction's start (the event's record_time), which adds the transaction's length. */
  fromTransactionStart: { p50: number; p99: number };
}

/**
 * Anchoring lag per event: from its commit in PostgreSQL to its batch reaching the configured confirmations. The
 * commit time is the ledger outbox entry's time, written with clock_timestamp() as the ingest transaction's last
 * large write.
 */
async function anchoringLag(db: Client, since?: Date): Promise<Lag> {
  const { rows } = await db.query<{
    p50: number;
    p99: number;
    max: number;
    events: string;
    start_p50: number;
    start_p99: number;
  }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
            max(lag) AS max, count(*) AS events,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY from_start) AS start_p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY from_start) AS start_p99
       FROM (SELECT EXTRACT(EPOCH FROM (b.confirmed_at - o.created_at)) AS lag,
                    EXTRACT(EPOCH FROM (b.confirmed_at - e.record_time)) AS from_start
               FROM ledger_outbox o
               CROSS JOIN LATERAL jsonb_array_elements_text(o.payload -> 'eventHashes') AS h(hash)
               JOIN epcis_events e ON e.event_hash = decode(h.hash, 'hex')
               JOIN event_anchors ea ON ea.event_hash = e.event_hash
               JOIN anchor_batches b ON b.id = ea.batch_id AND b.status = 'confirmed'
              WHERE o.kind = 'anchor' AND ($1::timestamptz IS NULL OR o.created_at >= $1)) AS l`,
    [since ?? null],
  );
  const r = rows[0]!;
  return {
    p50: Number(r.p50),
    p99: Number(r.p99),
    max: Number(r.max),
    events: Number(r.events),
    fromTransactionStart: { p50: Number(r.start_p50), p99: Number(r.start_p99) },
  };
}

/** CPU per answered request (ms) in each process group while a load ran: where a verification's cost goes. */
interface CpuPerRequest {
  api: number;
  postgres: number;
  loadGenerator: number;
}
type LoadResult = LoadSummary & { cpuMsPerRequest?: CpuPerRequest };

/** Runs a load and reads the CPU the API (primary and workers) and PostgreSQL used meanwhile. */
async function measuredLoad(apiPid: number, args: object): Promise<LoadResult> {
  const api = cpuMeter(() => processTree(apiPid));
  const postgres = cpuMeter(postgresPids);
  const result = await load(args);
  const n = Math.max(1, result.requests);
  const round = (ms: number) => Math.round((ms / n) * 1000) / 1000;
  return {
    ...result,
    cpuMsPerRequest: {
      api: round(api.stop()),
      postgres: round(postgres.stop()),
      loadGenerator: round(result.cpuMs),
    },
  };
}

function load(args: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'bench', 'verify-load.worker.js'), JSON.stringify(args)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load worker exited ${code}`)),
    );
  });
}

interface SweepPoint {
  rate: number;
  verify: LoadResult;
  health: LoadResult;
}

/**
 * Verification at each rate of the sweep (open-loop, a second process), each beside the trivial health endpoint at
 * the same rate, so the ratio is measured on the same machine minutes apart, not against another day's figure.
 */
async function verification(
  ctx: BenchContext,
  db: Client,
): Promise<{
  verify: LoadResult;
  health: LoadResult;
  storedEvents: number;
  sweep: SweepPoint[];
  cold: LoadResult;
  stateSample: StateSample;
}> {
  const api = service('api', ctx, 3910, { API_PORT: '3910', API_WORKERS: String(API_WORKERS) });
  try {
    await waitHealthy(3910, api);
    const { rows } = await db.query<{ gtin: string; serial: string }>(
      `SELECT gtin, serial FROM packs WHERE kind = 'sgtin' ORDER BY random() LIMIT 5000`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'pedigree-bench-'));
    const pathsFile = join(dir, 'paths.json');
    writeFileSync(
      pathsFile,
      JSON.stringify(rows.map((r) => `/v1/verify?gtin=${r.gtin}&serial=${encodeURIComponent(r.serial)}`)),
    );
    const storedEvents = Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM epcis_events')).rows[0]!.n,
    );
    const url = 'http://127.0.0.1:3910';
    const key = await pharmacyKey(db, url, ctx.env.PEDIGREE_ADMIN_TOKEN!);
    // One pass over every sampled pack at a moderate rate: each is verified for the first time (events re-hashed,
    // proofs checked, chain roots fetched), as a pharmacy's scan usually is. Reported on its own; the sweep after
    // it measures repeat verifications, whose hop checks come from the memo.
    const stateSample = await sampleStateChecks(url, key, rows.slice(0, 200));
    const cold = await measuredLoad(api.pid!, {
      url,
      key,
      rate: 200,
      seconds: Math.ceil(rows.length / 200),
      pathsFile,
    });
    const sweep: SweepPoint[] = [];
    for (const rate of VERIFY_SWEEP) {
      log(
        `verification: ${rate} requests/s for ${VERIFY_SECONDS} s against ${storedEvents.toLocaleString()} stored events`,
      );
      const verify = await measuredLoad(api.pid!, { url, key, rate, seconds: VERIFY_SECONDS, pathsFile });
      const health = await measuredLoad(api.pid!, {
        url,
        key,
        rate,
        seconds: Math.min(15, VERIFY_SECONDS),
        path: '/health/live',
      });
      sweep.push({ rate, verify, health });
      // Let a saturated run's queue drain before the next rate.
      await new Promise((r) => setTimeout(r, 3000));
    }
    const atGoal = sweep.find((p) => p.rate === VERIFY_RATE)!;
    return { verify: atGoal.verify, health: atGoal.health, storedEvents, sweep, cold, stateSample };
  } finally {
    await stopChild(api);
  }
}

/**
 * A pharmacy's API key, as the verifications of the field come: a member's key also sends each verification to the
 * harvesting detector (the admin token does not), so the figures include that path.
 */
async function pharmacyKey(db: Client, url: string, adminToken: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM organisations WHERE role = 'dispenser' ORDER BY name LIMIT 1`,
  );
  const response = await fetch(`${url}/v1/admin/organisations/${rows[0]!.id}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'benchmark scanner' }),
  });
  if (!response.ok)
    throw new Error(`cannot create a pharmacy key: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

interface StateSample {
  packs: number;
  /** State-check outcome → packs (every answer carries its proof against the chain's latest state root). */
  statuses: Record<string, number>;
  proofNodesMean: number;
  answerBytesMean: number;
}

/** What the answers say about their state proofs: each must be `verified` once the run has been anchored. */
async function sampleStateChecks(
  url: string,
  key: string,
  packs: { gtin: string; serial: string }[],
): Promise<StateSample> {
  const statuses: Record<string, number> = {};
  let nodes = 0;
  let bytes = 0;
  for (const pack of packs) {
    const response = await fetch(
      `${url}/v1/verify?gtin=${pack.gtin}&serial=${encodeURIComponent(pack.serial)}`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    const text = await response.text();
    const body = JSON.parse(text) as { state?: { status: string; proof?: { nodes: string[] } } };
    const status = body.state?.status ?? `http ${response.status}`;
    statuses[status] = (statuses[status] ?? 0) + 1;
    nodes += body.state?.proof?.nodes.length ?? 0;
    bytes += text.length;
  }
  return {
    packs: packs.length,
    statuses,
    proofNodesMean: nodes / Math.max(1, packs.length),
    answerBytesMean: bytes / Math.max(1, packs.length),
  };
}

interface MemoryTrend {
  peakMiB: number;
  firstQuarterMeanMiB: number;
  lastQuarterMeanMiB: number;
  /** Least-squares slope over the second half of the run. */
  secondHalfSlopeMiBPerMinute: number;
}

function trend(samples: { t: number; mib: number }[]): MemoryTrend {
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const half = samples.slice(Math.floor(samples.length / 2));
  const mt = mean(half.map((s) => s.t));
  const mm = mean(half.map((s) => s.mib));
  const cov = half.reduce((a, s) => a + (s.t - mt) * (s.mib - mm), 0);
  const varT = half.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  return {
    peakMiB: Math.max(...samples.map((s) => s.mib)),
    firstQuarterMeanMiB: mean(samples.slice(0, quarter).map((s) => s.mib)),
    lastQuarterMeanMiB: mean(samples.slice(-quarter).map((s) => s.mib)),
    secondHalfSlopeMiBPerMinute: varT > 0 ? (60 * cov) / varT : 0,
  };
}

interface SoakResult {
  seconds: number;
  targetEventsPerSecond: number;
  producedEvents: number;
  committedEventsPerSecond: number;
  drainSeconds: number;
  deadLetters: number;
  /** Committed → anchored with the configured confirmations, for the events committed during the soak. */
  lagSeconds: Lag;
  verify: LoadResult;
  memory: Record<'ingest' | 'ledger' | 'api', MemoryTrend>;
}

/** Issue 7's load test: ingest at its benchmark rate and verification at 1,000 req/s together, memory sampled. */
async function soak(
  ctx: BenchContext,
  db: Client,
  kafka: Kafka,
  firstLot: number,
  eventsPerSecond: number,
): Promise<SoakResult> {
  const services = {
    ingest: service('ingest', ctx, 3911, { INGEST_PORT: '3911' }),
    ledger: service('ledger', ctx, 3912, { LEDGER_PORT: '3912' }),
    api: service('api', ctx, 3910, { API_PORT: '3910' }),
  };
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await waitHealthy(3911, services.ingest);
    await waitHealthy(3912, services.ledger);
    await waitHealthy(3910, services.api);
    await producer.connect();
    const { rows } = await db.query<{ gtin: string; serial: string }>(
      `SELECT gtin, serial FROM packs WHERE kind = 'sgtin' ORDER BY random() LIMIT 5000`,
    );
    const pathsFile = join(mkdtempSync(join(tmpdir(), 'pedigree-soak-')), 'paths.json');
    writeFileSync(
      pathsFile,
      JSON.stringify(rows.map((r) => `/v1/verify?gtin=${r.gtin}&serial=${encodeURIComponent(r.serial)}`)),
    );
    const count = () => committedEvents(db);
    const before = await count();
    log(
      `soak: ${fmtNumber(eventsPerSecond)} events/s and ${SOAK_VERIFY_RATE} verifications/s for ${SOAK_SECONDS} s`,
    );
    const verifying = load({
      url: 'http://127.0.0.1:3910',
      key: ctx.env.PEDIGREE_ADMIN_TOKEN!,
      rate: SOAK_VERIFY_RATE,
      seconds: SOAK_SECONDS,
      pathsFile,
    });
    const topic = topicName(Topics.epcisEvents, ctx.config.kafkaTopicPrefix);
    const base = new Date(Date.now() - 30 * 86_400_000);
    const memory = { ingest: [], ledger: [], api: [] } as Record<
      keyof typeof services,
      { t: number; mib: number }[]
    >;
    const started = Date.now();
    let lot = firstLot;
    let produced = 0;
    let lastSample = -5;
    // Bounded: stops after SOAK_SECONDS whatever happens.
    for (;;) {
      const t = (Date.now() - started) / 1000;
      if (t >= SOAK_SECONDS) break;
      if (t - lastSample >= 5) {
        lastSample = t;
        for (const [name, child] of Object.entries(services)) {
          const mib = rssMiB(child.pid!);
          if (mib) memory[name as keyof typeof services].push({ t, mib });
        }
      }
      if (produced < eventsPerSecond * t) {
        const messages = [];
        for (let i = 0; i < 10; i++, lot++) {
          for (const m of lotFlow(lot, base)) {
            messages.push({
              key: m.key,
              value: m.value,
              headers: {
                'bench-events': String(m.events),
                ...(await signDocument(m.publisher.signer, m.value)),
              },
            });
            produced += m.events;
          }
        }
        await producer.send({ topic, acks: -1, messages });
      } else {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const soakEnd = Date.now();
    const committedAtEnd = (await count()) - before;
    let drained = committedAtEnd;
    // Bounded: the backlog gets at most five minutes to drain.
    for (const deadline = Date.now() + 300_000; drained < produced && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 1000));
      drained = (await count()) - before;
    }
    const letters = await deadLetterCount(kafka, ctx);
    // Bounded: anchoring of the soak's events gets at most two more minutes.
    const unanchored = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM epcis_events e LEFT JOIN event_anchors ea ON ea.event_hash = e.event_hash
               LEFT JOIN anchor_batches b ON b.id = ea.batch_id
              WHERE e.record_time >= $1 AND (b.status IS DISTINCT FROM 'confirmed')`,
            [new Date(started)],
          )
        ).rows[0]!.n,
      );
    for (const deadline = Date.now() + 120_000; (await unanchored()) > 0 && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 1000));
    const lag = await anchoringLag(db, new Date(started));
    return {
      seconds: SOAK_SECONDS,
      targetEventsPerSecond: eventsPerSecond,
      producedEvents: produced,
      committedEventsPerSecond: committedAtEnd / SOAK_SECONDS,
      drainSeconds: (Date.now() - soakEnd) / 1000,
      deadLetters: letters,
      lagSeconds: lag,
      verify: await verifying,
      memory: {
        ingest: trend(memory.ingest),
        ledger: trend(memory.ledger),
        api: trend(memory.api),
      },
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await Promise.all(Object.values(services).map(stopChild));
  }
}

/** Messages on the dead-letter topic (its high watermarks; nothing else writes there). */
async function deadLetterCount(kafka: Kafka, ctx: BenchContext): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(
      topicName(Topics.eventsRejected, ctx.config.kafkaTopicPrefix),
    );
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

interface PreviousReport {
  measuredAt?: string;
  pipeline?: {
    ingestSteadyEventsPerSecond: number;
    lagSeconds: { p50: number; p99: number };
    gasPerEventAnchoring: number;
  };
  verification?: { sweep: SweepPoint[] };
}

/** This run beside the previous report (before the change under test, when that is what it was). */
function previousSection(previous: PreviousReport | undefined, current: Record<string, unknown>): string {
  if (!previous?.pipeline) return 'No previous report to compare with.';
  const now = current as PreviousReport;
  const at250 = (r: PreviousReport) =>
    r.verification?.sweep.find((p) => p.rate === 250)?.verify.latencyMs.p99;
  const f = (n: number | undefined, d = 1) =>
    n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d });
  const rows: [string, number | undefined, number | undefined][] = [
    [
      'ingest, steady (events/s)',
      previous.pipeline.ingestSteadyEventsPerSecond,
      now.pipeline?.ingestSteadyEventsPerSecond,
    ],
    ['anchoring lag p50 (s)', previous.pipeline.lagSeconds.p50, now.pipeline?.lagSeconds.p50],
    ['anchoring lag p99 (s)', previous.pipeline.lagSeconds.p99, now.pipeline?.lagSeconds.p99],
    ['gas per event, live', previous.pipeline.gasPerEventAnchoring, now.pipeline?.gasPerEventAnchoring],
    ['verification p99 at 250 req/s (ms)', at250(previous), at250(now)],
  ];
  return `## Against the previous report (${previous.measuredAt ?? 'undated'})

| measure | previous | this run |
| --- | ---: | ---: |
${rows.map(([name, before, after]) => `| ${name} | ${f(before)} | ${f(after)} |`).join('\n')}
`;
}

const fmtNumber = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

interface ModelFigures {
  anomaly?: {
    evaluation: {
      patterns: { pattern: string; f1: number; precision: number; recall: number; prAuc: number }[];
      falseAlerts: { rate: number };
    };
    goals: { trainingSeconds: { value: number } };
  };
  forecast?: {
    goals: { globalImprovementOnMain: number; mainDataset: string };
    datasets: {
      name: string;
      report: { bestBaseline: { method: string; mase: number }; methods: { method: string; mase: number }[] };
    }[];
    training: { seconds: number; backend: string };
  };
}

function cpuCell(cpu: CpuPerRequest | undefined): string {
  if (!cpu) return 'n/a';
  const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return `${f(cpu.api)} / ${f(cpu.postgres)} / ${f(cpu.loadGenerator)}`;
}

function sweepSection(sweep: SweepPoint[] | undefined): string {
  if (!sweep?.length) return '';
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  const rows = sweep.map(
    (p) =>
      `| ${f(p.rate, 0)} | ${f(p.verify.rate, 0)} | ${f(p.verify.latencyMs.p50)} | ${f(p.verify.latencyMs.p90)} | ${f(p.verify.latencyMs.p99)} | ${f(p.verify.errors + p.verify.timeouts + p.verify.non2xx, 0)} | ${cpuCell(p.verify.cpuMsPerRequest)} | ${f(p.health.latencyMs.p50)} | ${f(p.health.latencyMs.p99)} | ${p.health.cpuMsPerRequest ? f(p.health.cpuMsPerRequest.api, 2) : 'n/a'} |`,
  );
  return `
## Verification latency by offered rate

Open-loop load from a second process (each request due at start + i/rate; latency counted from when it was due), ${VERIFY_SECONDS} s per
rate, then the health endpoint at the same rate. ${API_WORKERS} API process(es) (API_WORKERS). CPU per request: milliseconds of
CPU the API's processes / PostgreSQL / the load generator used per answered request while the rate ran (from /proc); on
two cores their sum bounds the rate at about 2,000 / sum req/s. The health endpoint's API CPU is what the HTTP stack
costs a request with no authentication, no database and no checks: the floor under a verification's.

| offered req/s | answered req/s | p50 ms | p90 ms | p99 ms | errors | CPU ms per request: api / pg / load | health p50 ms | health p99 ms | health CPU ms (api) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}

function soakSection(soak: SoakResult | undefined): string {
  if (!soak) return '\nSoak: not run in this report (`npm run bench:soak`).';
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  const row = (name: string, m: MemoryTrend) =>
    `| ${name} | ${f(m.firstQuarterMeanMiB)} | ${f(m.lastQuarterMeanMiB)} | ${f(m.peakMiB)} | ${f(m.secondHalfSlopeMiBPerMinute, 2)} |`;
  return `
## Soak: ingest and verification together for ${f(soak.seconds / 60, 1)} minutes

Produced ${f(soak.producedEvents)} events at a target of ${f(soak.targetEventsPerSecond)} events/s (the ingest rate
measured above) while verification ran at ${f(soak.verify.rate)} req/s. Committed during the soak:
${f(soak.committedEventsPerSecond)} events/s; backlog drained ${f(soak.drainSeconds)} s after producing stopped.
Dead letters: ${f(soak.deadLetters)}. Anchoring lag of the ${f(soak.lagSeconds.events)} events committed during the soak
(committed → anchored, 1 confirmation): p50 ${f(soak.lagSeconds.p50, 2)} s, p99 ${f(soak.lagSeconds.p99, 2)} s, max ${f(soak.lagSeconds.max, 2)} s. Verification: ${f(soak.verify.requests)} requests, p50 ${f(soak.verify.latencyMs.p50, 1)} ms,
p99 ${f(soak.verify.latencyMs.p99, 1)} ms, ${f(soak.verify.errors)} errors, ${f(soak.verify.non2xx)} non-2xx.

| service | RSS first quarter (MiB) | last quarter | peak | slope, second half (MiB/min) |
| --- | ---: | ---: | ---: | ---: |
${row('ingest', soak.memory.ingest)}
${row('ledger', soak.memory.ledger)}
${row('api', soak.memory.api)}`;
}

function modelSection(models: ModelFigures): string {
  const lines = ['\n## Models (from `npm run eval:anomaly` and `npm run eval:forecast`)\n'];
  const a = models.anomaly;
  if (a) {
    lines.push(
      '| anomaly pattern | precision | recall | F1 | PR-AUC |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const p of a.evaluation.patterns)
      lines.push(
        `| ${p.pattern} | ${p.precision.toFixed(3)} | ${p.recall.toFixed(3)} | ${p.f1.toFixed(3)} | ${p.prAuc.toFixed(3)} |`,
      );
    lines.push(
      '',
      `False alerts: ${(100 * a.evaluation.falseAlerts.rate).toFixed(2)} % of packs (goal ≤ 0.5 %); training ${a.goals.trainingSeconds.value} s.`,
      '',
    );
  } else lines.push('Anomaly evaluation: not run (`npm run eval:anomaly`).', '');
  const fc = models.forecast;
  if (fc) {
    lines.push(
      '| forecast data set | best baseline (MASE) | global TF.js model (MASE) |',
      '| --- | --- | ---: |',
    );
    for (const d of fc.datasets) {
      const g = d.report.methods.find((m) => m.method === 'global-mlp');
      lines.push(
        `| ${d.name} | ${d.report.bestBaseline.method} (${d.report.bestBaseline.mase.toFixed(3)}) | ${g ? g.mase.toFixed(3) : 'n/a'} |`,
      );
    }
    lines.push(
      '',
      `Global model on ${fc.goals.mainDataset}: ${(100 * fc.goals.globalImprovementOnMain).toFixed(1)} % better than the best baseline (goal ≥ 10 %); training on the demo set ${fc.training.seconds} s on ${fc.training.backend}.`,
    );
  } else lines.push('Forecast evaluation: not run (`npm run eval:forecast`).');
  return lines.join('\n');
}

interface XmlCaptureFigures {
  measuredAt: string;
  events: number;
  streamed: { aboveBaselineMiB: number };
  streamedFourTimes: { events: number; aboveBaselineMiB: number };
  whole: { aboveBaselineMiB: number };
  decode: { jsonEventsPerSecond: number; xmlEventsPerSecond: number };
  xmlToJsonRatio: number;
}

function xmlSection(x: XmlCaptureFigures | undefined): string {
  if (!x) return '## EPCIS XML capture\n\nNot measured yet: `npm run bench:xml`.';
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  return `## EPCIS XML capture (npm run bench:xml, ${x.measuredAt})

| measure | value |
| --- | --- |
| ingest decoder, XML events/s against JSON-LD (same events, same run) | ${f(x.decode.xmlEventsPerSecond)} / ${f(x.decode.jsonEventsPerSecond)} = ${f(x.xmlToJsonRatio, 2)} |
| memory above the process, ${f(x.events)}-event file streamed / read whole | ${f(x.streamed.aboveBaselineMiB)} MiB / ${f(x.whole.aboveBaselineMiB)} MiB |
| the same streamed, ${f(x.streamedFourTimes.events)} events | ${f(x.streamedFourTimes.aboveBaselineMiB)} MiB |`;
}

function readJson(name: string): Record<string, unknown> | undefined {
  const file = join(RESULTS, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

async function main(): Promise<void> {
  const ctx = await benchContext('report', {
    LEDGER_MNEMONIC: Wallet.createRandom().mnemonic!.phrase,
    LEDGER_CUSTODY_MNEMONIC: Wallet.createRandom().mnemonic!.phrase,
    CHAIN_DEPLOYMENT_FILE: join(mkdtempSync(join(tmpdir(), 'pedigree-bench-chain-')), 'deployment.json'),
    LEDGER_ACCOUNT_FUNDING_WEI: '5000000000000000000',
    CHAIN_CONFIRMATIONS: '1',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const db = new Client({
    connectionString: ctx.config.databaseUrl,
    options: `-c search_path=${ctx.config.databaseSchema}`,
  });
  await db.connect();
  const report: Record<string, unknown> = { machine: machine(), measuredAt: new Date().toISOString() };
  // The last report, read before this one replaces it: the figures to compare against, from the same machine.
  const previous = readJson('latest.json') as PreviousReport | undefined;
  try {
    await deploy(ctx);
    await registerOrganisations(ctx, true);
    const kafka = benchKafka(ctx);
    const lots = Math.ceil(TARGET_EVENTS / EVENTS_PER_LOT);
    log(`producing ~${(lots * EVENTS_PER_LOT).toLocaleString()} events`);
    const produced = await produce(ctx, kafka, lots);
    report.events = produced.events;
    report.produceEventsPerSecond = produced.events / produced.seconds;
    if (STEPS.has('ingest')) {
      const raw = await consumeOnly(ctx, kafka, produced.messages);
      const copy = await copyOnly(ctx, produced.sampleEvents, Math.min(produced.events, 300_000));
      report.ceilings = {
        kafkaConsumeOnly: raw.events / raw.seconds,
        postgresCopy: copy.rows / copy.seconds,
      };
    }
    const run = await pipelineRun(ctx, db, produced.events);
    report.pipeline = run;
    report.authentication = authenticationShare(produced, run.ingestSeconds);
    const gasSnapshots = JSON.parse(
      readFileSync(join(ROOT, 'contracts', 'gas-snapshots.json'), 'utf8'),
    ) as Record<string, number>;
    report.gas = { anchoringLivePerEvent: run.gasPerEventAnchoring, snapshots: gasSnapshots };
    // A database that took a million rows minutes ago has no statistics yet; autovacuum would analyze it within
    // minutes in production. Measure verification on the settled database, not on the planner's guesses.
    await db.query('ANALYZE');
    if (STEPS.has('verify')) {
      const v = await verification(ctx, db);
      report.verification = {
        ...v,
        p99RatioToHealth: v.verify.latencyMs.p99 / Math.max(0.001, v.health.latencyMs.p99),
      };
    }
    if (STEPS.has('soak')) {
      const rate = BENCH.soakRate ?? Math.round(run.ingestSteadyEventsPerSecond);
      report.soak = await soak(ctx, db, kafka, lots, rate);
    }
    report.models = { anomaly: readJson('anomaly-eval.json'), forecast: readJson('forecast-eval.json') };
    // XML capture has its own run (npm run bench:xml, ~40 s); its last figures are carried into this report.
    report.xmlCapture = readJson('xml-capture.json');
    const fmt = (n: number | undefined, digits = 0) =>
      n === undefined || !Number.isFinite(n)
        ? 'n/a'
        : n.toLocaleString('en-US', { maximumFractionDigits: digits });
    const ceilings = report.ceilings as { kafkaConsumeOnly: number; postgresCopy: number } | undefined;
    const verified = report.verification as
      | {
          verify: LoadResult;
          health: LoadResult;
          storedEvents: number;
          p99RatioToHealth: number;
          sweep: SweepPoint[];
          cold: LoadResult;
          stateSample: StateSample;
        }
      | undefined;
    const withinGoal = verified?.sweep.filter((p) => p.verify.latencyMs.p99 <= 20 && p.verify.errors === 0);
    const snapshotPerEvent = (size: number) => gasSnapshots[`EventAnchor.anchor [${size} events] per event`];
    const perHandoff = gasSnapshots['CustodyLedger.relayReceipts [100 receipts] per handoff'];
    const singleShipment = gasSnapshots['CustodyLedger.recordShipment [forward]'];
    writeResult(
      'latest',
      report,
      `
# Pedigree benchmark report

Measured ${new Date().toISOString()} on ${machine().cpus} cores (Node ${machine().node}); Kafka, PostgreSQL, the Hardhat node
and the services share the machine. Re-run: \`npm run bench\` (this file: bench/results/latest.md; data: latest.json).

| measure | value | goal |
| --- | ---: | --- |
| events in the run | ${fmt(produced.events)} | ≥ 1,000,000 |
| ingest, produce → committed in PostgreSQL (steady, with the ledger running) | ${fmt(run.ingestSteadyEventsPerSecond)} events/s | ≥ half the lower ceiling (next rows) |
| ingest, whole run, with / without authenticating publishers (same run; signature recovery subtracted) | ${fmt((report.authentication as { eventsPerSecondWith: number }).eventsPerSecondWith)} / ${fmt((report.authentication as { eventsPerSecondWithout: number }).eventsPerSecondWithout)} events/s (${(100 * (report.authentication as { share: number }).share).toFixed(1)} % of ingest time) | cost ≤ 10 % |
| ceiling: kafkajs consume-only | ${fmt(ceilings?.kafkaConsumeOnly)} events/s | |
| ceiling: PostgreSQL COPY, same payloads and indexes | ${fmt(ceilings?.postgresCopy)} rows/s | |
| ingest / lower ceiling | ${ceilings ? `${fmt((100 * run.ingestSteadyEventsPerSecond) / Math.min(ceilings.kafkaConsumeOnly, ceilings.postgresCopy))} %` : 'n/a'} | ≥ 50 % |
| ingest RSS peak / first-quarter mean / last-quarter mean | ${fmt(run.ingestRss.peak)} / ${fmt(run.ingestRss.firstQuarterMean)} / ${fmt(run.ingestRss.lastQuarterMean)} MiB | flat |
| anchoring lag p50 / p99 (committed → anchored, 1 confirmation) | ${fmt(run.lagSeconds.p50, 2)} s / ${fmt(run.lagSeconds.p99, 2)} s | p99 ≤ 5 s |
| the same from the ingest transaction's start | ${fmt(run.lagSeconds.fromTransactionStart.p50, 2)} s / ${fmt(run.lagSeconds.fromTransactionStart.p99, 2)} s | |
| gas per event, batched anchoring (live; mean batch ${fmt(run.eventsPerBatch)} events) | ${fmt(run.gasPerEventAnchoring, 1)} | ≤ 100 |
| gas per event, anchoring at 100 / 1,000 / 10,000 (snapshot) | ${fmt(snapshotPerEvent(100), 1)} / ${fmt(snapshotPerEvent(1000), 1)} / ${fmt(snapshotPerEvent(10000), 1)} | |
| baseline: one custody transaction per shipment / per receipt in batches of 100 (snapshot) | ${fmt(singleShipment)} / ${fmt(perHandoff)} | |
| anchoring versus writing each event on chain as a custody-sized transaction | ${fmt(singleShipment && run.gasPerEventAnchoring ? singleShipment / run.gasPerEventAnchoring : undefined)}× cheaper | |
| verification p50 / p99 at ${fmt(verified?.verify.rate)} req/s, ${fmt(verified?.storedEvents)} events stored | ${fmt(verified?.verify.latencyMs.p50, 1)} / ${fmt(verified?.verify.latencyMs.p99, 1)} ms (${fmt(verified?.verify.errors)} errors, ${fmt(verified?.verify.non2xx)} non-2xx) | p99 ≤ 20 ms at 1,000 req/s |
| health endpoint p99 at the same rate (baseline) | ${fmt(verified?.health.latencyMs.p99, 1)} ms (verification ${fmt(verified?.p99RatioToHealth, 1)}×) | |
| first verification of each of ${fmt(verified?.cold.requests)} packs at 200 req/s: p50 / p99 | ${fmt(verified?.cold.latencyMs.p50, 1)} / ${fmt(verified?.cold.latencyMs.p99, 1)} ms | |
| CPU per verification, first / repeat (at the lowest swept rate), ms: API processes / PostgreSQL / load generator | ${cpuCell(verified?.cold.cpuMsPerRequest)} and ${cpuCell(verified?.sweep[0]?.verify.cpuMsPerRequest)} (${API_WORKERS} API workers) | |
| highest swept rate with verification p99 ≤ 20 ms | ${withinGoal?.length ? `${fmt(withinGoal.at(-1)!.rate)} req/s` : 'none'} | 1,000 req/s |
| state check of ${fmt(verified?.stateSample.packs)} sampled answers (proof of the pack's leaf against EventAnchor.latestState()) | ${
        verified
          ? Object.entries(verified.stateSample.statuses)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')
          : 'n/a'
      }; ${fmt(verified?.stateSample.proofNodesMean, 1)} trie nodes and ${fmt(verified?.stateSample.answerBytesMean)} bytes per answer | all verified |
| state map: identifiers held / trie nodes stored (every version kept, so older roots stay provable) | ${fmt(run.stateMap?.leaves)} / ${fmt(run.stateMap?.nodes)} | |
${previousSection(previous, report)}
${sweepSection(verified?.sweep)}
${soakSection(report.soak as SoakResult | undefined)}
${modelSection(report.models as ModelFigures)}
${xmlSection(report.xmlCapture as XmlCaptureFigures | undefined)}
`,
    );
    // The README's performance table is this report's summary, copied, never typed.
    await writePerfTable();
  } finally {
    await db.end();
    // BENCH_KEEP=1 keeps the schema and topics for a post-mortem (EXPLAIN on the real data).
    if (BENCH.keep) log(`kept schema ${ctx.config.databaseSchema}`);
    else await ctx.cleanup();
  }
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
