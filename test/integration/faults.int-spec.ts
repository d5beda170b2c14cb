import { connectContracts, createChainProvider, readChainDeployment } from '@pedigree/chain';
import { loadConfig } from '@pedigree/config';
import {
  commissioningEvent,
  epcisDocument,
  eventHashDigest,
  eventHashesOfDocument,
  glnOf,
  gtinOf,
  sgtinUrn,
  shippingEvent,
  partyOf,
} from '@pedigree/epcis';
import { Topics, TypedProducer } from '@pedigree/messaging';
import { Kafka, logLevel } from 'kafkajs';
import {
  apiClient,
  createTestContext,
  database,
  type PrivateChain,
  type PrivateKafka,
  type PrivatePostgres,
  relayHeaders,
  readDeadLetters,
  type RunningService,
  startHardhatNode,
  startPrivateKafka,
  startPrivatePostgres,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';

const party = partyOf;
const maker = party('4012345');
const wholesaler = party('4098765');
const PACKS_PER_DOCUMENT = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A steady stream of known documents, as a manufacturer's system would publish them: each commissions a few packs
 * and ships them. A send that fails (the broker is down) is retried with the same bytes until it is acknowledged,
 * so a send whose acknowledgement was lost may reach Kafka twice: the pipeline must still store each event once.
 */
class KnownStream {
  readonly expected = new Set<string>();
  shipments = 0;
  private running = false;
  private loop?: Promise<void>;
  private producer?: TypedProducer;

  constructor(
    private readonly context: TestContext,
    private readonly publisher: string,
  ) {}

  start(tag: string, intervalMs = 150): void {
    this.running = true;
    this.loop = (async () => {
      for (let n = 0; this.running; n++) {
        await this.sendOne(`${tag}${n}`);
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Many documents in one send: the ingest worker then has large batches in hand. */
  async burst(tag: string, count: number): Promise<void> {
    await this.send(Array.from({ length: count }, (_, n) => `${tag}${n}`));
  }

  private sendOne(lot: string): Promise<void> {
    return this.send([lot]);
  }

  private async send(lots: string[]): Promise<void> {
    const time = Date.now() - 600_000;
    const documents = lots.map((lot) => {
      const epcs = Array.from({ length: PACKS_PER_DOCUMENT }, (_, i) =>
        sgtinUrn('4012345', '12345', `${lot}S${i}`),
      );
      return {
        lot,
        document: epcisDocument([
          commissioningEvent({ epcs, at: maker, time: new Date(time), lot, expiry: '2031-06-30' }),
          shippingEvent({
            epcs,
            from: maker,
            to: wholesaler,
            time: new Date(time + 1000),
            despatchAdvice: `urn:pedigree:desadv:${lot}`,
          }),
        ]),
      };
    });
    const messages = await Promise.all(
      documents.map(async ({ lot, document }) => {
        const value = Buffer.from(JSON.stringify(document));
        return { key: lot, value, headers: await relayHeaders(this.context.config, value, this.publisher) };
      }),
    );
    for (let attempt = 0; ; attempt++) {
      try {
        // Its own quiet client: the outage's connection errors are expected here, not news for the test log.
        this.producer ??= new TypedProducer(
          new Kafka({
            clientId: `${this.context.config.kafkaClientId}-stream`,
            brokers: this.context.config.kafkaBrokers,
            sasl: {
              mechanism: 'scram-sha-512',
              username: this.context.config.kafkaSaslUsername,
              password: this.context.config.kafkaSaslPassword,
            },
            logLevel: logLevel.NOTHING,
            retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 5 },
          }),
          this.context.config,
        );
        await this.producer.send(Topics.epcisEvents, messages);
        break;
      } catch (error) {
        if (attempt > 240) throw error;
        // A producer that lost its broker may be wedged: start a fresh one, as a member's retrying client would.
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        await sleep(500);
      }
    }
    for (const { document } of documents)
      for (const id of eventHashesOfDocument(document))
        this.expected.add(eventHashDigest(id).toString('hex'));
    this.shipments += documents.length;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }
}

interface Probe {
  ms: number;
  status: number;
  code?: string;
  reasons: string[];
}

/** Asks /v1/verify about a known pack every 250 ms while a fault lasts, each request bounded to 10 s. */
class VerificationProbe {
  readonly results: Probe[] = [];
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly port: () => number,
    private readonly gtin: string,
    private readonly serial: string,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        try {
          const response = await fetch(
            `http://127.0.0.1:${this.port()}/v1/verify?gtin=${this.gtin}&serial=${this.serial}`,
            {
              headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
              signal: AbortSignal.timeout(10_000),
            },
          );
          const body = (await response.json()) as { code?: string; reasons?: { code: string }[] };
          this.results.push({
            ms: Date.now() - started,
            status: response.status,
            code: body.code,
            reasons: (body.reasons ?? []).map((r) => r.code),
          });
        } catch (error) {
          this.results.push({
            ms: Date.now() - started,
            status: 0,
            code: (error as Error).name,
            reasons: [],
          });
        }
        await sleep(250);
      }
    })();
  }

  async stop(): Promise<Probe[]> {
    this.running = false;
    await this.loop;
    return this.results;
  }
}

/**
 * While a stream of known events flows, each piece of the platform fails in turn: the ingest worker is killed
 * mid-batch, the Kafka broker crashes and restarts, PostgreSQL shuts down immediately and restarts, the chain node
 * hangs for 30 s, the ledger is killed mid-transaction. After each recovery every produced event is in PostgreSQL
 * exactly once and anchored exactly once (by count and by Event Hash ID), custody is on the chain once per
 * shipment, the fault created no dead letter, and verification kept answering.
 *
 * Kafka, PostgreSQL and the Hardhat node here are the test's own (same software as the shared ones, on free
 * ports), so crashing them disturbs no other test file.
 */
describe('faults while events flow', () => {
  let kafka: PrivateKafka;
  let postgres: PrivatePostgres;
  let chain: PrivateChain;
  let context: TestContext;
  let stream: KnownStream;
  let probe: VerificationProbe;
  const services: Partial<Record<'api' | 'ingest' | 'ledger', RunningService>> = {};
  const orgs: Record<string, string> = {};

  async function check(): Promise<{
    stored: Set<string>;
    anchored: Set<string>;
    duplicates: number;
    unanchored: number;
  }> {
    const db = await database(context.config);
    try {
      const stored = await db.query<{ h: string }>(`SELECT encode(event_hash, 'hex') AS h FROM epcis_events`);
      const anchored = await db.query<{ h: string }>(
        `SELECT encode(ea.event_hash, 'hex') AS h FROM event_anchors ea JOIN anchor_batches b ON b.id = ea.batch_id WHERE b.status = 'confirmed'`,
      );
      const duplicates = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) - count(DISTINCT event_hash) FROM event_anchors)::int AS n`,
      );
      const unanchored = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM anchor_batches WHERE status <> 'confirmed'`,
      );
      return {
        stored: new Set(stored.rows.map((r) => r.h)),
        anchored: new Set(anchored.rows.map((r) => r.h)),
        duplicates: duplicates.rows[0]!.n,
        unanchored: unanchored.rows[0]!.n,
      };
    } finally {
      await db.end();
    }
  }

  /** Waits until the database holds exactly the produced events, all anchored once, then checks the chain too. */
  async function expectExactlyOnce(fault: string): Promise<void> {
    const state = await waitFor(
      `${fault}: all ${stream.expected.size} produced events stored and anchored`,
      async () => {
        const s = await check();
        return s.stored.size >= stream.expected.size &&
          s.anchored.size >= stream.expected.size &&
          s.unanchored === 0
          ? s
          : undefined;
      },
      240_000,
      1000,
    );
    // Exactly the produced set, by Event Hash ID: nothing missing, nothing extra, nothing anchored twice.
    const missing = [...stream.expected].filter((h) => !state.stored.has(h));
    const extra = [...state.stored].filter((h) => !stream.expected.has(h));
    expect({ fault, missing: missing.length, extra: extra.length }).toEqual({ fault, missing: 0, extra: 0 });
    expect({ fault, unanchored: [...stream.expected].filter((h) => !state.anchored.has(h)).length }).toEqual({
      fault,
      unanchored: 0,
    });
    expect({ fault, duplicateLeaves: state.duplicates }).toEqual({ fault, duplicateLeaves: 0 });

    const config = loadConfig('tool', context.env);
    const deployment = readChainDeployment(config.chainDeploymentFile);
    const provider = createChainProvider(config.chainRpcUrl, deployment.chainId);
    const db = await database(context.config);
    try {
      const { anchor, custody } = connectContracts(deployment, provider);
      const roots = await db.query<{ root: string }>(
        `SELECT '0x' || encode(merkle_root, 'hex') AS root FROM anchor_batches`,
      );
      const onChain = new Map<string, number>();
      for (const log of await anchor.queryFilter(anchor.filters.RootAnchored(), deployment.deployedAtBlock))
        onChain.set(log.args.root.toLowerCase(), (onChain.get(log.args.root.toLowerCase()) ?? 0) + 1);
      expect({ fault, roots: onChain.size }).toEqual({ fault, roots: roots.rows.length });
      for (const { root } of roots.rows)
        expect({ fault, root, times: onChain.get(root) }).toEqual({ fault, root, times: 1 });

      // Custody: one transfer per shipment, each recorded on the chain once.
      const transfers = await waitFor(
        `${fault}: every shipment's custody on chain`,
        async () => {
          const { rows } = await db.query<{ total: number; on_chain: number }>(
            `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'shipped_on_chain')::int AS on_chain FROM custody_transfers`,
          );
          return rows[0]!.total === stream.shipments && rows[0]!.on_chain === stream.shipments
            ? rows[0]!
            : undefined;
        },
        120_000,
        1000,
      );
      const shipped = await custody.queryFilter(
        custody.filters.ShipmentRecorded(),
        deployment.deployedAtBlock,
      );
      expect({ fault, shipmentsOnChain: shipped.length }).toEqual({
        fault,
        shipmentsOnChain: transfers.total,
      });
    } finally {
      await db.end();
      provider.destroy();
    }
  }

  /** Runs the stream and the verification probe around a fault, then checks exactly-once delivery. */
  async function underFault(name: string, fault: () => Promise<void>): Promise<Probe[]> {
    const before = stream.expected.size;
    stream.start(name);
    probe = new VerificationProbe(() => services.api!.port, gtinOf('4012345', '12345'), 'WARM0S0');
    probe.start();
    await waitFor(
      `${name}: events flowing`,
      () => Promise.resolve(stream.expected.size >= before + 40),
      60_000,
      200,
    );
    await fault();
    // Keep publishing a little after recovery: the platform must take new events as well as the backlog.
    await sleep(3000);
    await stream.stop();
    const results = await probe.stop();
    await expectExactlyOnce(name);
    return results;
  }

  beforeAll(async () => {
    // Started side by side; if one fails, the others are stopped before failing (no process outlives the test).
    const started = await Promise.allSettled([
      startPrivateKafka(),
      startPrivatePostgres(),
      startHardhatNode(),
    ]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(
        started.map((s) =>
          s.status !== 'fulfilled' ? Promise.resolve() : 'kill' in s.value ? s.value.kill() : s.value.stop(),
        ),
      );
      throw (failed as PromiseRejectedResult).reason;
    }
    [kafka, postgres, chain] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      PrivateKafka,
      PrivatePostgres,
      PrivateChain,
    ];
    context = await createTestContext('faults', {
      env: {
        KAFKA_BROKERS: kafka.brokers,
        DATABASE_URL: postgres.databaseUrl,
        CHAIN_RPC_URL: chain.rpcUrl,
        LEDGER_BATCH_MAX_EVENTS: '200',
        LEDGER_BATCH_MAX_WAIT_MS: '300',
        INGEST_BATCH_MESSAGES: '50',
      },
    });
    services.api = await startService('api', context.env);
    services.ingest = await startService('ingest', context.env);
    services.ledger = await startService('ledger', context.env);
    const admin = apiClient(services.api.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['Acme Pharma', 'manufacturer', '4012345'],
      ['Central Wholesale', 'distributor', '4098765'],
    ] as const) {
      orgs[role] = (
        await admin.post<{ id: string }>('/v1/admin/organisations', {
          name,
          role,
          companyPrefixes: [prefix],
          glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
        })
      ).body.id;
    }
    stream = new KnownStream(context, orgs.manufacturer!);
    // A first lot ("WARM") the probes verify throughout.
    stream.start('WARM', 100);
    await sleep(1500);
    await stream.stop();
    await expectExactlyOnce('warm-up');
  }, 300_000);

  afterAll(async () => {
    await stream?.close();
    await Promise.all(Object.values(services).map((s) => s?.stop()));
    chain?.resume();
    await context?.cleanup().catch(() => undefined);
    await Promise.all([kafka?.stop(), postgres?.stop(), chain?.kill()]);
  });

  it('loses and duplicates nothing when the ingest worker is killed -9 mid-batch', async () => {
    const probes = await underFault('ingest-kill', async () => {
      // Mid-batch: a burst of 400 documents is being written when the worker dies.
      const stored = async () => (await check()).stored.size;
      const before = await stored();
      await stream.burst('BURST', 400);
      await waitFor('the burst half-way in', async () => (await stored()) > before + 400, 60_000, 20);
      await services.ingest!.kill();
      expect(await stored()).toBeLessThan(stream.expected.size);
      services.ingest = await startService('ingest', context.env);
    });
    // The API does not depend on the ingest worker: every verification answered.
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
  }, 400_000);

  it('loses and duplicates nothing with several ingest members: one killed -9 and another added mid-run', async () => {
    // One consumer group over the topic's partitions: a second member shares the work, the first dies mid-burst
    // (its partitions move to the survivor after the session timeout), a third joins while the backlog drains.
    const members = [services.ingest!, await startService('ingest', context.env)];
    const probes = await underFault('ingest-members', async () => {
      const stored = async () => (await check()).stored.size;
      const before = await stored();
      await stream.burst('MEMBERS', 400);
      await waitFor('the burst under way', async () => (await stored()) > before + 200, 60_000, 20);
      await members[0]!.kill();
      expect(await stored()).toBeLessThan(stream.expected.size);
      members.push(await startService('ingest', context.env));
    });
    // Back to one worker for the faults that follow.
    await members[1]!.stop();
    services.ingest = members[2];
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
  }, 400_000);

  it('loses and duplicates nothing when the Kafka broker crashes and restarts', async () => {
    const probes = await underFault('kafka-crash', () => kafka.crashAndRestart(5000));
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
  }, 400_000);

  it('loses and duplicates nothing when PostgreSQL stops immediately and restarts', async () => {
    const probes = await underFault('postgres-restart', () => postgres.crashAndRestart(5000));
    // While the database is away verification cannot read history: it answers 503 problem+json, marked retriable,
    // quickly; it never hangs and never answers 500. Once the database is back it answers 200 again.
    for (const p of probes) {
      expect([200, 503]).toContain(p.status);
      expect(p.ms).toBeLessThan(10_000);
    }
    expect(probes.some((p) => p.status === 503)).toBe(true);
    expect(probes.at(-1)!.status).toBe(200);
  }, 400_000);

  it('loses and duplicates nothing when the chain node hangs for 30 s', async () => {
    const api = apiClient(services.api!.port, TEST_ADMIN_TOKEN);
    const gtin = gtinOf('4012345', '12345');
    type Verdict = { status: string; reasons: { code: string }[] };
    let during: { ms: number; status: number; body: Verdict } | undefined;
    const probes = await underFault('chain-hang', async () => {
      chain.pause();
      await sleep(2000);
      // A pack whose anchor this API has never read: its root must come from the chain, which does not answer.
      const started = Date.now();
      const response = await api.get<Verdict>(`/v1/verify?gtin=${gtin}&serial=kafka-crash0S0`);
      during = { ms: Date.now() - started, status: response.status, body: response.body };
      await sleep(28_000 - (Date.now() - started));
      chain.resume();
    });
    // Verification kept answering: packs whose anchors it had already read from the chain (confirmed anchors do not
    // change) as before; others with a clear "chain unavailable" and a pending verdict, within seconds.
    for (const p of probes) {
      expect(p.status).toBe(200);
      expect(p.ms).toBeLessThan(10_000);
    }
    expect(during).toMatchObject({ status: 200, body: { status: 'pending' } });
    expect(during!.ms).toBeLessThan(10_000);
    expect(during!.body.reasons.map((r) => r.code)).toContain('CHAIN_UNAVAILABLE');
    const after = await api.get<Verdict>(`/v1/verify?gtin=${gtin}&serial=kafka-crash0S0`);
    expect(after.body.reasons.map((r) => r.code)).not.toContain('CHAIN_UNAVAILABLE');
  }, 400_000);

  it('loses and duplicates nothing when the ledger is killed -9 mid-transaction', async () => {
    const probes = await underFault('ledger-kill', async () => {
      const db = await database(context.config);
      try {
        // Mid-transaction: a batch has been submitted to the chain and is not yet confirmed.
        await waitFor(
          'a submitted, unconfirmed anchor batch',
          async () =>
            (await db.query(`SELECT 1 FROM anchor_batches WHERE status = 'submitted'`)).rowCount! > 0 ||
            undefined,
          60_000,
          10,
        );
      } finally {
        await db.end();
      }
      await services.ledger!.kill();
      services.ledger = await startService('ledger', context.env);
    });
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
  }, 400_000);

  it('created no dead letter and parked nothing through all the faults', async () => {
    expect(await readDeadLetters(context.config, 1, 5000)).toEqual([]);
    const db = await database(context.config);
    try {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM parked_documents`);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await db.end();
    }
  });
});
