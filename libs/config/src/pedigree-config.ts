import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { EnvVariable } from './env-variable.decorator';

/** Development defaults that a production deployment must replace (checked in loadConfig). */
export const DEV_KAFKA_PASSWORD = 'pedigree-dev-kafka-secret';
export const HARDHAT_TEST_MNEMONIC = 'test test test test test test test test test test test junk';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting of every Pedigree service and the CLI, in one typed class. Only `loadConfig` reads `process.env` for
 * it; services receive this object by injection. Each app declares which of the required-without-default variables
 * it needs. The benchmarks' settings are `BenchConfig`.
 */
export class PedigreeConfig {
  // ── runtime ──────────────────────────────────────────────────────────────────────────────
  @EnvVariable({ env: 'NODE_ENV', description: 'development, test or production', default: 'development' })
  @IsIn(NODE_ENVS)
  nodeEnv!: (typeof NODE_ENVS)[number];

  @EnvVariable({ env: 'LOG_LEVEL', description: 'pino log level', default: 'info' })
  @IsIn(LOG_LEVELS)
  logLevel!: (typeof LOG_LEVELS)[number];

  @EnvVariable({
    env: 'SERVICE_HOST',
    description: 'interface the internal services (ingest, ledger, intelligence) serve health and metrics on',
    default: '127.0.0.1',
  })
  @IsString()
  serviceHost!: string;

  @EnvVariable({
    env: 'INGEST_PORT',
    description: 'health and metrics port of ingest',
    kind: 'integer',
    default: 3001,
  })
  @IsInt()
  @Min(0)
  @Max(65535)
  ingestPort!: number;

  @EnvVariable({
    env: 'LEDGER_PORT',
    description: 'health and metrics port of ledger',
    kind: 'integer',
    default: 3002,
  })
  @IsInt()
  @Min(0)
  @Max(65535)
  ledgerPort!: number;

  @EnvVariable({
    env: 'INTELLIGENCE_PORT',
    description: 'health and metrics port of intelligence',
    kind: 'integer',
    default: 3003,
  })
  @IsInt()
  @Min(0)
  @Max(65535)
  intelligencePort!: number;

  // ── PostgreSQL ───────────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    default: 'postgres://pedigree@127.0.0.1:5432/pedigree',
    secret: true,
  })
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  databaseUrl!: string;

  @EnvVariable({
    env: 'DATABASE_SCHEMA',
    description: 'schema holding the tables (tests use one schema per file)',
    default: 'public',
  })
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  databaseSchema!: string;

  @EnvVariable({
    env: 'DATABASE_POOL_SIZE',
    description: 'connections per service',
    kind: 'integer',
    default: 10,
  })
  @IsInt()
  @Min(1)
  @Max(200)
  databasePoolSize!: number;

  // ── Kafka ────────────────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'KAFKA_BROKERS',
    description: 'comma-separated bootstrap brokers',
    kind: 'list',
    default: ['127.0.0.1:9092'],
  })
  @Matches(/^[^\s:]+:\d{1,5}$/, { each: true, message: 'each broker must be host:port' })
  kafkaBrokers!: string[];

  @EnvVariable({ env: 'KAFKA_CLIENT_ID', description: 'client id prefix sent to Kafka', default: 'pedigree' })
  @IsString()
  @MinLength(1)
  kafkaClientId!: string;

  @EnvVariable({
    env: 'KAFKA_TOPIC_PREFIX',
    description: 'prefix for every topic name (isolates tests and tenants; empty in production)',
    default: '',
  })
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'may hold letters, digits, dot, dash and underscore only' })
  kafkaTopicPrefix!: string;

  @EnvVariable({
    env: 'KAFKA_TOPIC_PARTITIONS',
    description: 'partitions of the topics Pedigree creates',
    kind: 'integer',
    default: 3,
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  kafkaTopicPartitions!: number;

  @EnvVariable({
    env: 'KAFKA_SASL_USERNAME',
    description: "the services' SCRAM-SHA-512 account on the broker (members get accounts of their own)",
    default: 'pedigree',
  })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'may hold letters, digits, dot, dash and underscore only' })
  kafkaSaslUsername!: string;

  @EnvVariable({
    env: 'KAFKA_SASL_PASSWORD',
    description: `password of that account (development default ${DEV_KAFKA_PASSWORD}; refused in production)`,
    secret: true,
    default: DEV_KAFKA_PASSWORD,
  })
  @MinLength(16, { message: 'must be at least 16 characters' })
  kafkaSaslPassword!: string;

  @EnvVariable({
    env: 'LEDGER_OUTBOX_SECRET',
    description:
      'key of the HMAC that ingest, the API, intelligence and the ledger put on ledger outbox entries (≥ 32 characters); the ledger refuses entries without it',
    secret: true,
  })
  @IsOptional()
  @MinLength(32, { message: 'must be at least 32 characters' })
  ledgerOutboxSecret?: string;

  // ── publisher authentication ───────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'API_RELAY_PRIVATE_KEY',
    description:
      'secp256k1 key (0x + 64 hex) the API signs relayed documents with, vouching for the member it authenticated',
    secret: true,
  })
  @IsOptional()
  @Matches(/^0x[0-9a-fA-F]{64}$/, { message: 'must be 0x followed by 64 hex digits' })
  apiRelayPrivateKey?: string;

  @EnvVariable({
    env: 'PEDIGREE_SIGNING_KEY',
    description:
      "a member's document-signing key (0x + 64 hex), for `pedigree publish --via kafka` with the member's own Kafka account",
    secret: true,
  })
  @IsOptional()
  @Matches(/^0x[0-9a-fA-F]{64}$/, { message: 'must be 0x followed by 64 hex digits' })
  memberSigningKey?: string;

  @EnvVariable({
    env: 'PEDIGREE_CUSTODY_KEY',
    description:
      "a member's own custody key (0x + 64 hex), for `pedigree custody register-key` and `pedigree custody sign`",
    secret: true,
  })
  @IsOptional()
  @Matches(/^0x[0-9a-fA-F]{64}$/, { message: 'must be 0x followed by 64 hex digits' })
  memberCustodyKey?: string;

  @EnvVariable({
    env: 'INGEST_TRUSTED_RELAYS',
    description: 'addresses of the API relay keys whose signature ingest accepts as naming the publisher',
    kind: 'list',
  })
  @IsOptional()
  @Matches(/^0x[0-9a-fA-F]{40}$/, { each: true, message: 'each relay must be a 0x-prefixed 20-byte address' })
  ingestTrustedRelays?: string[];

  // ── ingest ───────────────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'INGEST_CONSUMER_GROUP',
    description: 'consumer group of the ingest workers',
    default: 'pedigree-ingest',
  })
  @IsString()
  @MinLength(1)
  ingestConsumerGroup!: string;

  @EnvVariable({
    env: 'INGEST_CONCURRENT_PARTITIONS',
    description: 'partitions one ingest worker processes at once (overlaps validation with database writes)',
    kind: 'integer',
    default: 3,
  })
  @IsInt()
  @Min(1)
  @Max(64)
  ingestConcurrentPartitions!: number;

  @EnvVariable({
    env: 'INGEST_BATCH_MESSAGES',
    description: 'documents per ingest transaction',
    kind: 'integer',
    default: 100,
  })
  @IsInt()
  @Min(1)
  @Max(10_000)
  ingestBatchMessages!: number;

  @EnvVariable({
    env: 'INGEST_FUTURE_TOLERANCE_SECONDS',
    description: 'how far in the future an eventTime may be (clock skew) before the event is rejected',
    kind: 'integer',
    default: 300,
  })
  @IsInt()
  @Min(0)
  ingestFutureToleranceSeconds!: number;

  @EnvVariable({
    env: 'INGEST_MAX_DOCUMENT_BYTES',
    description: 'largest EPCIS document accepted',
    kind: 'integer',
    default: 4_194_304,
  })
  @IsInt()
  @Min(1024)
  @Max(8_000_000)
  ingestMaxDocumentBytes!: number;

  @EnvVariable({
    env: 'INGEST_MAX_EVENTS_PER_DOCUMENT',
    description: 'most events in one EPCIS document',
    kind: 'integer',
    default: 10_000,
  })
  @IsInt()
  @Min(1)
  ingestMaxEventsPerDocument!: number;

  @EnvVariable({
    env: 'INGEST_PARK_TIMEOUT_SECONDS',
    description:
      'how long an event may wait for its preconditions (commissioning, shipment, receipt), on the clock and in the log’s time (ingest has read what was published that long after it), before it is kept as flagged evidence or, when the publisher is not entitled, dead-lettered; long enough for a partner’s late upload',
    kind: 'integer',
    default: 172_800,
  })
  @IsInt()
  @Min(1)
  ingestParkTimeoutSeconds!: number;

  @EnvVariable({
    env: 'INGEST_PARK_RETRY_INTERVAL_MS',
    description: 'how often parked documents are re-examined',
    kind: 'integer',
    default: 1000,
  })
  @IsInt()
  @Min(50)
  ingestParkRetryIntervalMs!: number;

  @EnvVariable({
    env: 'INGEST_MAX_UNANCHORED_EVENTS',
    description:
      'back-pressure: ingest starts a transaction only while the events not yet anchored, those of its running transactions and its own (at their recent size) stay within this, so the anchoring lag stays bounded when ingest outruns the ledger (0: never wait)',
    kind: 'integer',
    default: 10_000,
  })
  @IsInt()
  @Min(0)
  ingestMaxUnanchoredEvents!: number;

  @EnvVariable({
    env: 'INGEST_LEDGER_STALL_SECONDS',
    description:
      'a ledger that confirmed no anchor for this long is taken as stopped and ingest no longer waits for it (the anchoring deadline then marks what is left unanchored)',
    kind: 'integer',
    default: 60,
  })
  @IsInt()
  @Min(1)
  ingestLedgerStallSeconds!: number;

  @EnvVariable({
    env: 'EPCIS_STANDARD_DIR',
    description: 'folder with the official EPCIS-JSON-Schema.json and epcis-context.jsonld',
    default: '../shared/conformance/epcis',
  })
  @IsString()
  epcisStandardDir!: string;

  @EnvVariable({
    env: 'EPCIS_XSD_DIR',
    description:
      'folder with the official EPCIS 2.0 XML Schema (EPCglobal-epcis-2_0.xsd and the files it imports)',
    default: '../shared/conformance/epcis-xml/xsd',
  })
  @IsString()
  epcisXsdDir!: string;

  // ── chain and ledger ─────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'CHAIN_RPC_URL',
    description: 'JSON-RPC endpoint of the EVM chain',
    default: 'http://127.0.0.1:8545',
  })
  @IsUrl({ require_tld: false, protocols: ['http', 'https', 'ws', 'wss'] })
  chainRpcUrl!: string;

  @EnvVariable({
    env: 'CHAIN_DEPLOYMENT_FILE',
    description: 'JSON file with the deployed contract addresses (written by the deploy step)',
    default: '.pedigree/chain/deployment.json',
  })
  @IsString()
  chainDeploymentFile!: string;

  @EnvVariable({
    env: 'CHAIN_CONFIRMATIONS',
    description: 'blocks to wait before an anchor counts as final',
    kind: 'integer',
    default: 1,
  })
  @IsInt()
  @Min(0)
  @Max(1000)
  chainConfirmations!: number;

  @EnvVariable({
    env: 'LEDGER_MNEMONIC',
    description:
      'BIP-39 mnemonic of the ledger signing accounts (dev: the Hardhat test mnemonic; prod: use a KMS signer)',
    secret: true,
  })
  @IsOptional()
  @Matches(/^([a-z]+ ){11,23}[a-z]+$/, { message: 'must be a 12-24 word BIP-39 mnemonic' })
  ledgerMnemonic?: string;

  @EnvVariable({
    env: 'LEDGER_CUSTODY_MNEMONIC',
    description:
      "BIP-39 mnemonic of the custody keystore: the keys the platform holds for members who don't sign custody handoffs themselves (separate from LEDGER_MNEMONIC, which anchors)",
    secret: true,
  })
  @IsOptional()
  @Matches(/^([a-z]+ ){11,23}[a-z]+$/, { message: 'must be a 12-24 word BIP-39 mnemonic' })
  ledgerCustodyMnemonic?: string;

  @EnvVariable({
    env: 'LEDGER_BATCH_MAX_EVENTS',
    description:
      'most event hashes per Merkle anchor; a batch is cut earlier when its oldest entry has waited LEDGER_BATCH_MAX_WAIT_MS, so batches are small when traffic is light and grow while the ledger catches up',
    kind: 'integer',
    default: 10_000,
  })
  @IsInt()
  @Min(1)
  @Max(100_000)
  ledgerBatchMaxEvents!: number;

  @EnvVariable({
    env: 'LEDGER_BATCH_MAX_WAIT_MS',
    description: 'longest wait before a partial batch is anchored',
    kind: 'integer',
    default: 1000,
  })
  @IsInt()
  @Min(10)
  ledgerBatchMaxWaitMs!: number;

  @EnvVariable({
    env: 'LEDGER_STATE_CACHE_NODES',
    description:
      'state-trie nodes the ledger keeps in memory at most (~1 KB each; those used in the last two generations stay, the others are read again from PostgreSQL, a trie level per round trip, inside the anchoring cycle); 0: no bound',
    kind: 'integer',
    default: 100_000,
  })
  @IsInt()
  @Min(0)
  ledgerStateCacheNodes!: number;

  @EnvVariable({
    env: 'LEDGER_POLL_INTERVAL_MS',
    description: 'outbox polling interval when idle',
    kind: 'integer',
    default: 200,
  })
  @IsInt()
  @Min(10)
  ledgerPollIntervalMs!: number;

  @EnvVariable({
    env: 'LEDGER_TX_TIMEOUT_MS',
    description: 'time before an unmined transaction is re-submitted',
    kind: 'integer',
    default: 30_000,
  })
  @IsInt()
  @Min(1000)
  ledgerTxTimeoutMs!: number;

  @EnvVariable({
    env: 'LEDGER_ACCOUNT_FUNDING_WEI',
    description:
      "top the custody relayer's account up to this balance from the admin account (0 = never; gas-free consortium chains need none)",
    default: '1000000000000000000',
  })
  @Matches(/^\d{1,30}$/, { message: 'must be an amount in wei (digits)' })
  ledgerAccountFundingWei!: string;

  // ── api ──────────────────────────────────────────────────────────────────────────────────
  @EnvVariable({ env: 'API_HOST', description: 'interface the API listens on', default: '127.0.0.1' })
  @IsString()
  apiHost!: string;

  @EnvVariable({ env: 'API_PORT', description: 'port the API listens on', kind: 'integer', default: 3000 })
  @IsInt()
  @Min(0)
  @Max(65535)
  apiPort!: number;

  @EnvVariable({
    env: 'API_WORKERS',
    description:
      'API processes sharing the port (node:cluster); rate limits are shared through the primary, so they hold across workers',
    kind: 'integer',
    default: 1,
  })
  @IsInt()
  @Min(1)
  @Max(32)
  apiWorkers!: number;

  @EnvVariable({
    env: 'PEDIGREE_ADMIN_TOKEN',
    description: 'bootstrap consortium-admin bearer token (≥ 32 characters)',
    secret: true,
  })
  @IsOptional()
  @MinLength(32, { message: 'must be at least 32 characters' })
  adminToken?: string;

  @EnvVariable({
    env: 'API_FAILED_AUTH_PER_MINUTE',
    description: 'failed authentications allowed per client address and minute before 429',
    kind: 'integer',
    default: 120,
  })
  @IsInt()
  @Min(1)
  apiFailedAuthPerMinute!: number;

  @EnvVariable({
    env: 'API_STREAMS_PER_KEY',
    description: 'live streams (SSE) open at once per API key',
    kind: 'integer',
    default: 5,
  })
  @IsInt()
  @Min(1)
  apiStreamsPerKey!: number;

  @EnvVariable({
    env: 'ANCHOR_DEADLINE_SECONDS',
    description:
      'an event recorded longer ago than this and still not anchored on chain makes verification answer "not verified: unanchored" instead of pending',
    kind: 'integer',
    default: 600,
  })
  @IsInt()
  @Min(10)
  anchorDeadlineSeconds!: number;

  @EnvVariable({
    env: 'ALERT_RESOLVER_ROLES',
    description:
      'member roles that may resolve a counterfeit alert, unless their own events are its evidence (admin always may)',
    kind: 'list',
    default: ['manufacturer', 'regulator'],
  })
  @IsIn(['manufacturer', 'distributor', 'dispenser', 'regulator'], { each: true })
  alertResolverRoles!: string[];

  @EnvVariable({
    env: 'API_CORS_ORIGINS',
    description: 'origins allowed to call the API from a browser',
    kind: 'list',
    default: [],
  })
  @Matches(/^https?:\/\/[^\s/]+$/, { each: true, message: 'each origin must be scheme://host[:port]' })
  apiCorsOrigins!: string[];

  @EnvVariable({
    env: 'API_RATE_LIMIT_PER_MINUTE',
    description: 'requests per minute per API key (or IP when anonymous)',
    kind: 'integer',
    default: 120_000,
  })
  @IsInt()
  @Min(1)
  apiRateLimitPerMinute!: number;

  @EnvVariable({
    env: 'API_SUSPECT_KEY_RATE_PER_MINUTE',
    description:
      'requests per minute left to an API key while a high verification-harvesting alert about it is open (resolving the alert lifts it)',
    kind: 'integer',
    default: 10,
  })
  @IsInt()
  @Min(1)
  apiSuspectKeyRatePerMinute!: number;

  @EnvVariable({
    env: 'SHIPMENT_OVERDUE_HOURS',
    description: 'a shipment not received after this many hours is overdue',
    kind: 'integer',
    default: 72,
  })
  @IsInt()
  @Min(1)
  shipmentOverdueHours!: number;

  @EnvVariable({
    env: 'CAPTURE_MAX_EVENTS',
    description: 'GS1-EPCIS-Capture-Limit advertised and enforced',
    kind: 'integer',
    default: 10_000,
  })
  @IsInt()
  @Min(1)
  captureMaxEvents!: number;

  @EnvVariable({
    env: 'API_DOCS_ENABLED',
    description: 'serve the OpenAPI documentation at /docs',
    kind: 'boolean',
    default: true,
  })
  @IsBoolean()
  apiDocsEnabled!: boolean;

  @EnvVariable({
    env: 'SUBSCRIPTION_DELIVERY_ENABLED',
    description: 'this API instance delivers EPCIS webhook subscriptions (instances share the work by lease)',
    kind: 'boolean',
    default: true,
  })
  @IsBoolean()
  subscriptionDeliveryEnabled!: boolean;

  @EnvVariable({
    env: 'SUBSCRIPTION_PRIVATE_DESTINATIONS',
    description:
      'allow subscription webhooks to plain http and to loopback or private addresses (development and tests only)',
    kind: 'boolean',
    default: false,
  })
  @IsBoolean()
  subscriptionPrivateDestinations!: boolean;

  @EnvVariable({
    env: 'SUBSCRIPTION_TIMEOUT_MS',
    description: 'how long a webhook receiver has to answer before the delivery counts as failed',
    kind: 'integer',
    default: 10000,
  })
  @IsInt()
  @Min(100)
  subscriptionTimeoutMs!: number;

  @EnvVariable({
    env: 'SUBSCRIPTION_MAX_BACKOFF_SECONDS',
    description: 'longest wait between retries of a failing webhook (backoff doubles from 1 s up to it)',
    kind: 'integer',
    default: 300,
  })
  @IsInt()
  @Min(1)
  subscriptionMaxBackoffSeconds!: number;

  @EnvVariable({
    env: 'DASHBOARD_DIR',
    description: 'built dashboard served at /',
    default: 'apps/dashboard/dist',
  })
  @IsString()
  dashboardDir!: string;

  // ── intelligence ─────────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'INTELLIGENCE_CONSUMER_GROUP',
    description: 'consumer group of the scoring workers',
    default: 'pedigree-intelligence',
  })
  @IsString()
  @MinLength(1)
  intelligenceConsumerGroup!: string;

  @EnvVariable({
    env: 'FORECAST_RETRAIN_INTERVAL_MINUTES',
    description: 'scheduled forecast retraining (0 = only on demand)',
    kind: 'integer',
    default: 360,
  })
  @IsInt()
  @Min(0)
  forecastRetrainIntervalMinutes!: number;

  @EnvVariable({
    env: 'PEDIGREE_TF_BACKEND',
    description:
      'TensorFlow.js backend of intelligence (tensorflow, wasm, cpu); unset: the first of tensorflow, wasm, cpu that loads',
  })
  @IsOptional()
  @IsIn(['tensorflow', 'wasm', 'cpu'])
  tfBackend?: 'tensorflow' | 'wasm' | 'cpu';

  @EnvVariable({
    env: 'ANOMALY_TRAINING_SCALE',
    description:
      'size of the simulated benign history the anomaly models are first trained on (tiny, evaluation, demo)',
    default: 'evaluation',
  })
  @IsIn(['tiny', 'evaluation', 'demo'])
  anomalyTrainingScale!: 'tiny' | 'evaluation' | 'demo';

  @EnvVariable({
    env: 'ANOMALY_CHECKPOINT_SECONDS',
    description: 'how often the detector state is checkpointed to PostgreSQL',
    kind: 'integer',
    default: 300,
  })
  @IsInt()
  @Min(5)
  anomalyCheckpointSeconds!: number;

  @EnvVariable({
    env: 'ANOMALY_ARRIVAL_FLOOR_SECONDS',
    description:
      'least time a clone or custody suspicion waits for late data once the stream’s event time has passed its 48 h grace (a backfill of old events arrives within minutes, its explanations with it)',
    kind: 'integer',
    default: 300,
  })
  @IsInt()
  @Min(0)
  anomalyArrivalFloorSeconds!: number;

  @EnvVariable({
    env: 'ANOMALY_REORDER_IDLE_SECONDS',
    description:
      'the detector scores accepted events in ingest’s commit order across partitions: a caught-up partition that delivered nothing for this long stops holding the others back',
    kind: 'integer',
    default: 5,
  })
  @IsInt()
  @Min(0)
  anomalyReorderIdleSeconds!: number;

  @EnvVariable({
    env: 'ANOMALY_REORDER_MAX_HOLD_SECONDS',
    description:
      'longest the detector holds an accepted event to put it in commit order across partitions (the most it adds to an alert’s latency)',
    kind: 'integer',
    default: 60,
  })
  @IsInt()
  @Min(0)
  anomalyReorderMaxHoldSeconds!: number;

  @EnvVariable({
    env: 'ANOMALY_ALERT_THRESHOLD',
    description: 'combined score above which an alert opens',
    kind: 'number',
    default: 0.5,
  })
  @Min(0)
  @Max(1)
  anomalyAlertThreshold!: number;

  // ── cli ──────────────────────────────────────────────────────────────────────────────────
  @EnvVariable({
    env: 'PEDIGREE_API_URL',
    description: 'Pedigree API base URL the `pedigree` CLI calls (its --api flag overrides it)',
    default: 'http://127.0.0.1:3000',
  })
  // The CLI resolves request paths against it, so a scheme is required.
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  cliApiUrl!: string;

  @EnvVariable({
    env: 'PEDIGREE_API_KEY',
    description: 'organisation API key the `pedigree` CLI sends (its --key flag overrides it)',
    secret: true,
  })
  @IsOptional()
  // It goes into an Authorization header: printable ASCII, no spaces.
  @Matches(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  cliApiKey?: string;
}

/** The variables with no default that a given service cannot start without. */
export const REQUIRED_BY_APP = {
  api: ['adminToken', 'apiRelayPrivateKey', 'ledgerOutboxSecret'],
  ingest: ['ingestTrustedRelays', 'ledgerOutboxSecret'],
  ledger: ['ledgerMnemonic', 'ledgerCustodyMnemonic', 'ledgerOutboxSecret'],
  intelligence: ['ledgerOutboxSecret'],
  cli: [],
  tool: [],
} as const satisfies Record<string, readonly (keyof PedigreeConfig)[]>;

export type PedigreeApp = keyof typeof REQUIRED_BY_APP;
