// `npm run demo`: the whole platform on this machine with a realistic supply chain flowing through it.
// Starts what is not running (PostgreSQL, Kafka, Hardhat node), migrates, deploys, starts the services, registers
// the demo consortium, streams EPCIS documents through Kafka, and keeps the flow going until Ctrl-C, which stops
// everything this command started.
import { Wallet } from 'ethers';
import { loadConfig, PedigreeConfig } from '@pedigree/config';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import { addPeriods, isoWeekStart } from '@pedigree/ml';
import { createKafka, ensureTopics, Headers, signDocument, Topics, TypedProducer } from '@pedigree/messaging';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { type ErpInbox, startErpInbox } from './demo-erp-inbox';
import {
  buildDemoScenario,
  DEMO_ORGANISATIONS,
  DEMO_PRODUCTS,
  type DemoMessage,
  masterDataXml,
} from './demo-scenario';

const ROOT = resolve(__dirname, '..', '..', '..');
const STATE = join(ROOT, '.pedigree');
const LOGS = join(STATE, 'logs');
/** The running demo's pid: a second demo (or its `predemo` build) would pull the first one's dist and topics away. */
const PID_FILE = join(STATE, 'demo.pid');
const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';
const SERVICES = ['api', 'ingest', 'ledger', 'intelligence'] as const;
/** Weeks of simulated network history streamed for intelligence. */
const HISTORY_WEEKS = 40;
/** Counterfeit incidents per simulated week in the demo's history: twelve in its 40 weeks with seed 11. */
const DEMO_INJECTIONS =
  'cloned_serial=0.05,reappearance=0.05,lot_expiry_mismatch=0.03,impossible_travel=0.03,custody_break=0.03,diversion=0.03,unknown_serial=0.03,grey_market_spike=0.03';

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

function runningDemo(): number | null {
  if (!existsSync(PID_FILE)) return null;
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // left by a demo that did not stop cleanly
  }
}

/** The services' ports that something already listens on, named. */
async function portsTaken(ports: Record<string, number>): Promise<string[]> {
  const taken = await Promise.all(
    Object.entries(ports).map(async ([name, port]) => ((await portOpen(port)) ? `${port} (${name})` : null)),
  );
  return taken.filter((t): t is string => t !== null);
}

function infra(script: string, command: string): void {
  execFileSync('bash', [join(ROOT, 'infra', script), command], { stdio: 'inherit', cwd: ROOT });
}

/** A secret generated once per checkout, kept beside the demo's other state (mode 600), never in the repository. */
function demoSecret(name: string, make: () => string): string {
  const file = join(STATE, name);
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function adminToken(): string {
  return demoSecret('demo-admin-token', () => randomBytes(32).toString('base64url'));
}

/** The API's relay key (it vouches for the members it authenticated) and the address ingest trusts. */
function relayKey(): { API_RELAY_PRIVATE_KEY: string; INGEST_TRUSTED_RELAYS: string } {
  const key = demoSecret('demo-relay-key', () => `0x${randomBytes(32).toString('hex')}`);
  return { API_RELAY_PRIVATE_KEY: key, INGEST_TRUSTED_RELAYS: new Wallet(key).address };
}

/**
 * The first manufacturer saves a named query for its shipments and subscribes its ERP inbox to it (stream, signed):
 * every shipment it publishes from then on is POSTed there, at least once. A restarted demo keeps both.
 */
async function subscribeErpInbox(
  config: PedigreeConfig,
  registered: Map<string, Registered>,
): Promise<ErpInbox> {
  const token = demoSecret('demo-erp-inbox-token', () => randomBytes(24).toString('base64url'));
  const inbox = await startErpInbox(join(LOGS, 'erp-inbox.log'), token);
  const maker = DEMO_ORGANISATIONS.find((o) => o.role === 'manufacturer')!;
  const key = registered.get(maker.name)!.key!;
  const existing = await api<{ name: string }[]>(config, key, 'GET', '/epcis/v2/queries');
  if (!existing.some((q) => q.name === 'our-shipments')) {
    await api(config, key, 'POST', '/epcis/v2/queries', {
      name: 'our-shipments',
      query: { EQ_bizStep: 'shipping' },
    });
    await api(config, key, 'POST', '/epcis/v2/queries/our-shipments/subscriptions', {
      dest: inbox.url,
      stream: true,
      signatureToken: token,
    });
  }
  say(`  ${maker.name} subscribed its ERP inbox (${inbox.url}) to its shipments (EPCIS webhook, signed)`);
  return inbox;
}

async function api<T>(
  config: PedigreeConfig,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${config.apiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function keyWorks(config: PedigreeConfig, key: string): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${config.apiPort}/v1/me`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return response.ok;
}

async function waitHealthy(name: string, port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (code ${child.exitCode}); see ${join(LOGS, `${name}.log`)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not yet listening
    }
    await sleep(200);
  }
  throw new Error(`${name} did not become healthy; see ${join(LOGS, `${name}.log`)}`);
}

interface Registered {
  id: string;
  name: string;
  key?: string;
  /** The member's own Kafka account and document-signing key: members publish as themselves. */
  kafka: { username: string; password: string };
  signingKey: string;
}

/** What the demo keeps per member between runs (mode 600, beside the demo state): shown once by the API. */
interface SavedMember {
  key: string;
  kafka?: { username: string; password: string };
  signingKey?: string;
}

async function registerConsortium(config: PedigreeConfig, token: string): Promise<Map<string, Registered>> {
  const existing = await api<{ id: string; name: string }[]>(config, token, 'GET', '/v1/admin/organisations');
  const credentialsFile = join(STATE, 'demo-credentials.json');
  const saved: Record<string, SavedMember | string> = existsSync(credentialsFile)
    ? (JSON.parse(readFileSync(credentialsFile, 'utf8')) as Record<string, SavedMember>)
    : {};
  const registered = new Map<string, Registered>();
  for (const org of DEMO_ORGANISATIONS) {
    const previous = saved[org.name];
    const member: Partial<SavedMember> = typeof previous === 'string' ? { key: previous } : { ...previous };
    let found = existing.find((e) => e.name === org.name);
    if (!found) {
      const created = await api<{
        id: string;
        name: string;
        kafka: SavedMember['kafka'];
        signingKey: string;
      }>(config, token, 'POST', '/v1/admin/organisations', {
        name: org.name,
        role: org.role,
        companyPrefixes: [org.companyPrefix],
        glns: org.glns,
        region: org.region,
        latitude: org.latitude,
        longitude: org.longitude,
      });
      found = created;
      Object.assign(member, { kafka: created.kafka, signingKey: created.signingKey });
    }
    const path = `/v1/admin/organisations/${found.id}`;
    member.kafka ??= await api<SavedMember['kafka']>(config, token, 'POST', `${path}/kafka-credentials`);
    if (!member.signingKey) {
      const signer = Wallet.createRandom();
      await api(config, token, 'POST', `${path}/signing-addresses`, { signingAddress: signer.address });
      member.signingKey = signer.privateKey;
    }
    // A key kept from an earlier run is only good if this database still holds it (not after a fresh start).
    if (member.key && !(await keyWorks(config, member.key))) delete member.key;
    member.key ??= (
      await api<{ key: string }>(config, token, 'POST', `${path}/api-keys`, { label: 'demo' })
    ).key;
    saved[org.name] = member as SavedMember;
    registered.set(org.name, {
      id: found.id,
      name: org.name,
      key: member.key,
      kafka: member.kafka!,
      signingKey: member.signingKey,
    });
  }
  writeFileSync(credentialsFile, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return registered;
}

async function counts(config: PedigreeConfig): Promise<Record<string, number>> {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ k: string; n: string }>(
      `SELECT 'events' k, count(*) n FROM epcis_events
       UNION ALL SELECT 'anchored', count(*) FROM event_anchors ea JOIN anchor_batches b ON b.id = ea.batch_id
                  JOIN epcis_events e ON e.event_hash = ea.event_hash WHERE b.status = 'confirmed'
       UNION ALL SELECT 'custody_on_chain', count(*) FROM custody_transfers WHERE status IN ('shipped_on_chain', 'received_on_chain')
       UNION ALL SELECT 'parked', count(*) FROM parked_documents`,
    );
    return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/** Waits (up to 30 s) until ingest has stored the manufacturers' product master data. */
async function waitForMasterData(config: PedigreeConfig): Promise<void> {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    for (let i = 0; i < 60; i++) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) n FROM master_data WHERE authoritative AND vocabulary_type LIKE '%EPCClass'`,
      );
      if (Number(rows[0]!.n) >= DEMO_PRODUCTS.length) return;
      await sleep(500);
    }
  } finally {
    await client.end();
  }
}

/** A pack in stock (received, not dispensed), without an open alert if there is one: the printed verify command should show a genuine pack. */
async function packInStock(config: PedigreeConfig): Promise<string | undefined> {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ epc: string }>(
      `SELECT p.epc FROM packs p
        WHERE p.kind = 'sgtin' AND p.status = 'received'
        ORDER BY EXISTS (SELECT 1 FROM alerts a WHERE a.epcs @> ARRAY[p.epc] AND a.status <> 'resolved'), p.epc DESC
        LIMIT 1`,
    );
    return rows[0]?.epc;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  mkdirSync(LOGS, { recursive: true });
  const other = runningDemo();
  if (other !== null) {
    say(
      `A demo is already running (pid ${other}). Stop it first: Ctrl-C in its terminal, or kill -INT ${other}.`,
    );
    process.exit(1);
  }
  writeFileSync(PID_FILE, `${process.pid}\n`);
  const started: string[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  let inbox: ErpInbox | undefined;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping the services…');
    await inbox?.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    for (const piece of started.reverse()) infra(piece, 'stop');
    if (existsSync(PID_FILE) && readFileSync(PID_FILE, 'utf8').trim() === String(process.pid))
      rmSync(PID_FILE);
    say('Stopped everything the demo started.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    say('▶ Infrastructure');
    infra('postgres/postgres.sh', 'setup');
    if (!(await portOpen(9092))) {
      infra('kafka/kafka.sh', 'start');
      started.push('kafka/kafka.sh');
    } else say('  Kafka already running on 127.0.0.1:9092');
    if (!(await portOpen(8545))) {
      infra('chain/chain.sh', 'start');
      started.push('chain/chain.sh');
    } else say('  Hardhat node already running on 127.0.0.1:8545');

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // The simulated history streamed below is the `demo` network: its models learn that network's benign habits
      // (another seed), as a deployment's would learn its own. Trained on the larger `evaluation` network they raised
      // about a hundred diversion alerts on its ordinary shipments (2026-12-06).
      ANOMALY_TRAINING_SCALE: 'demo',
      // The history is a replay compressed 40 weeks into minutes: a partner's "late upload" in it is minutes late,
      // not the days a live network allows, so what waits on a precondition is decided (stored as flagged evidence
      // or dead-lettered, which is where the injected custody breaks come from) within the demo's lifetime.
      INGEST_PARK_TIMEOUT_SECONDS: '300',
      // The demo's ERP inbox (a subscription's webhook) listens on 127.0.0.1 over plain http.
      SUBSCRIPTION_PRIVATE_DESTINATIONS: 'true',
      PEDIGREE_ADMIN_TOKEN: adminToken(),
      ...relayKey(),
      LEDGER_OUTBOX_SECRET: demoSecret('demo-outbox-secret', () => randomBytes(32).toString('hex')),
      LEDGER_MNEMONIC: process.env.LEDGER_MNEMONIC ?? HARDHAT_MNEMONIC,
      // The custody keystore (keys held for members who don't sign handoffs themselves) is not the anchoring key.
      LEDGER_CUSTODY_MNEMONIC: demoSecret(
        'demo-custody-mnemonic',
        () => Wallet.createRandom().mnemonic!.phrase,
      ),
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) =>
          /^(DATABASE|KAFKA|CHAIN|API|INGEST|LEDGER|EPCIS|INTELLIGENCE|FORECAST|ANOMALY|CAPTURE)_/.test(k),
        ) as [string, string][],
      ),
    };
    const config = loadConfig('tool', env);
    const ports = {
      api: config.apiPort,
      ingest: config.ingestPort,
      ledger: config.ledgerPort,
      intelligence: config.intelligencePort,
    };
    const taken = await portsTaken(ports);
    if (taken.length > 0) {
      throw new Error(
        `something already listens on ${taken.join(', ')}: another Pedigree is running; stop it first`,
      );
    }
    say('▶ Database migrations and contract deployment');
    execFileSync(process.execPath, [join(ROOT, 'dist/libs/database/src/migrate.main.js')], {
      stdio: 'inherit',
      env,
      cwd: ROOT,
    });
    execFileSync(process.execPath, [join(ROOT, 'dist/infra/scripts/deploy-contracts.js')], {
      stdio: 'inherit',
      env,
      cwd: ROOT,
    });
    const kafka = createKafka(config, 'demo');
    await ensureTopics(kafka, config);

    say('▶ Services');
    for (const name of SERVICES) {
      const entry = join(ROOT, 'dist', 'apps', name, 'src', 'main.js');
      if (!existsSync(entry)) {
        say(`  (${name} is not built; skipping)`);
        continue;
      }
      const log = createWriteStream(join(LOGS, `${name}.log`), { flags: 'a' });
      const child = spawn(process.execPath, [entry], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      children.push(child);
      child.once('exit', (code) => {
        if (!stopping && code !== 0) {
          say(`✖ ${name} exited with code ${code}; see ${join(LOGS, `${name}.log`)}`);
          void shutdown(1);
        }
      });
      await waitHealthy(name, ports[name], child);
      say(`  ${name.padEnd(12)} http://127.0.0.1:${ports[name]}  (log: .pedigree/logs/${name}.log)`);
    }

    say('▶ Consortium');
    const registered = await registerConsortium(config, env.PEDIGREE_ADMIN_TOKEN);
    for (const org of DEMO_ORGANISATIONS) say(`  ${org.role.padEnd(12)} ${org.name}`);

    inbox = await subscribeErpInbox(config, registered);
    say('▶ Streaming the supply chain through Kafka (epcis.events.v1)');
    // Each member connects its own producer with its own Kafka account and signs what it sends.
    const producers = new Map<string, TypedProducer>();
    const producerOf = (member: Registered) => {
      let producer = producers.get(member.name);
      if (!producer) {
        const memberConfig: PedigreeConfig = Object.assign(new PedigreeConfig(), config, {
          kafkaSaslUsername: member.kafka.username,
          kafkaSaslPassword: member.kafka.password,
        });
        producer = new TypedProducer(createKafka(memberConfig, 'demo-member'), memberConfig);
        producers.set(member.name, producer);
      }
      return producer;
    };
    const send = async (messages: DemoMessage[]) => {
      for (const message of messages) {
        const member = registered.get(message.publisher)!;
        const value = Buffer.from(JSON.stringify(message.document));
        await producerOf(member).send(Topics.epcisEvents, [
          { key: message.key, value, headers: await signDocument(new Wallet(member.signingKey), value) },
        ]);
      }
    };
    // Manufacturers describe their products and sites first: EPCIS 1.2 XML with master data in its header, as DSCSA
    // partners send it (verification answers then name the product).
    for (const maker of DEMO_ORGANISATIONS.filter((o) => o.role === 'manufacturer')) {
      const member = registered.get(maker.name)!;
      const value = Buffer.from(masterDataXml(maker));
      await producerOf(member).send(Topics.epcisEvents, [
        {
          key: maker.party.site,
          value,
          headers: {
            ...(await signDocument(new Wallet(member.signingKey), value)),
            [Headers.contentType]: 'application/xml',
          },
        },
      ]);
    }
    say('  · manufacturers sent their product master data (EPCIS 1.2 XML with an SBDH header)');
    const runId = Math.floor(Date.now() / 1000) % 1_000_000;
    // Storage ranges must be known before the shipments they judge (a range applies to events ingested after it).
    await waitForMasterData(config);
    const scenario = buildDemoScenario({ runId, coldChainExcursion: true });
    for (const message of scenario.slice(0, 6)) say(`  · ${message.description}`);
    say(`  … ${scenario.length} documents in all`);
    await send(scenario);

    for (let i = 0; i < 60; i++) {
      const c = await counts(config);
      if (c.events > 0 && c.anchored === c.events && c.parked === 0) break;
      await sleep(1000);
    }
    const c = await counts(config);
    say(
      `  ${c.events} events stored, ${c.anchored} anchored on-chain, ${c.custody_on_chain} custody handoffs on-chain, ${c.parked} waiting`,
    );

    // Ending on this week's Monday, so the demo's own flow (today) follows it in event time, as a network's live traffic
    // follows its past: the detector learns habits in order. Forecasts train on whole weeks only, so history that
    // ended mid-week would leave the last week short; this way every week before this one is complete.
    const historyStart = addPeriods(isoWeekStart(new Date()), -HISTORY_WEEKS, 'weekly');
    say(
      `▶ ${HISTORY_WEEKS} weeks of simulated network history from ${historyStart} for intelligence (regions, demand, a few injected counterfeits)`,
    );
    const history = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'pedigree.js'),
        '--api',
        `http://127.0.0.1:${config.apiPort}`,
        '--json',
        'simulate',
        '--preset',
        'demo',
        '--weeks',
        String(HISTORY_WEEKS),
        '--start',
        historyStart,
        '--seed',
        '11',
        // A handful of incidents in 40 weeks (the preset's own rates inject about five a week, 200 in all: an
        // inbox nobody would read); `npx pedigree simulate … --out dir` with these flags writes their ground truth.
        '--inject',
        DEMO_INJECTIONS,
        '--to-kafka',
      ],
      {
        env: { ...env, PEDIGREE_ADMIN_TOKEN: env.PEDIGREE_ADMIN_TOKEN },
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(history);
    history.stderr.pipe(createWriteStream(join(LOGS, 'simulate.log')));
    history.once('exit', (code) => {
      children.splice(children.indexOf(history), 1);
      if (code !== 0) {
        say(`  ! the history simulation exited with code ${code} (see .pedigree/logs/simulate.log)`);
        return;
      }
      say('  history streamed; forecasts are being trained (about a minute; see the Demand page)');
      void api(config, env.PEDIGREE_ADMIN_TOKEN!, 'POST', '/v1/forecasts/retrain').catch(() => undefined);
    });

    const pharmacy = DEMO_ORGANISATIONS.find((o) => o.role === 'dispenser')!;
    const regulator = DEMO_ORGANISATIONS.find((o) => o.role === 'regulator')!;
    const sample =
      (await packInStock(config).catch(() => undefined)) ??
      ((scenario[0].document.epcisBody as { eventList: { epcList?: string[] }[] }).eventList[0].epcList ??
        [])[0];
    say('');
    say('Pedigree is running.');
    say(`  API            http://127.0.0.1:${config.apiPort}`);
    say(`  OpenAPI docs   http://127.0.0.1:${config.apiPort}/docs`);
    say(`  Dashboard      http://127.0.0.1:${config.apiPort}/`);
    say(`  Admin token    .pedigree/demo-admin-token        API keys: .pedigree/demo-credentials.json`);
    say('  Try:');
    say(`    curl -s -H "Authorization: Bearer ${registered.get(regulator.name)!.key}" \\`);
    say(`      http://127.0.0.1:${config.apiPort}/v1/provenance/${sample} | jq .verdict,.hops[].bizStep`);
    if (sample) {
      // A real pack of this run, so the first command a newcomer types answers with real data.
      say(
        `    npx pedigree verify '${epcUrnToDigitalLink(sample)}' --key ${registered.get(pharmacy.name)!.key}`,
      );
    }
    const warm = scenario.find((m) => m.warmPack)?.warmPack;
    if (warm) {
      say('    # a pack from the case that got warm (13.8 °C, stored at 2–8 °C) → TEMPERATURE_EXCURSION:');
      say(
        `    npx pedigree verify '${epcUrnToDigitalLink(warm)}' --key ${registered.get(pharmacy.name)!.key}`,
      );
    }
    say(`  (${pharmacy.name}'s key and the others are in the credentials file.)`);
    const delivered = inbox.stats();
    say(
      `  ERP inbox      ${inbox.url}: ${delivered.deliveries} signed webhook deliveries, ${delivered.events} events (log: .pedigree/logs/erp-inbox.log)`,
    );
    say('Streaming a new lot every 30 s. Press Ctrl-C to stop everything the demo started.');

    for (let round = 1; !stopping; round++) {
      await sleep(30_000);
      if (stopping) break;
      const next = buildDemoScenario({
        runId: runId + round,
        lotsPerProduct: 1,
        casesPerLot: 2,
        packsPerCase: 6,
        start: new Date(Date.now() - 3600_000 * 2),
      });
      await send(next);
      const now = await counts(config);
      say(
        `  [${new Date().toISOString().slice(11, 19)}] +${next.length} documents · ${now.events} events · ${now.anchored} anchored · ${now.custody_on_chain} custody handoffs on-chain`,
      );
    }
  } catch (error) {
    say(`✖ ${(error as Error).message}`);
    await shutdown(1);
  }
}

void main();
