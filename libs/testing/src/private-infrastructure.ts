import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@pedigree/config';
import { repoRoot } from './repo-paths';
import { freePort } from './service-process';

/**
 * Kafka brokers and PostgreSQL servers of a test's own, on free ports with their data in a temporary directory:
 * for fault tests that crash and restart them, which must not disturb the shared instances other test files use.
 * Both are the same software as the shared ones (the Kafka jars Maven fetched, the machine's PostgreSQL).
 */

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitPort(port: number, what: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (!alive()) throw new Error(`${what} exited during start-up`);
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface PrivateKafka {
  brokers: string;
  /** kill -9 the broker (a crash, no controlled shutdown), stay down for `downMs`, start it again on the same data. */
  crashAndRestart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const root = repoRoot();
  const lib = join(root, 'infra', 'kafka', 'target', 'lib');
  if (!existsSync(lib)) throw new Error(`no Kafka jars in ${lib}: run infra/kafka/kafka.sh fetch`);
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-kafka-'));
  const shared = readFileSync(join(root, 'infra', 'kafka', 'server.properties'), 'utf8')
    .split('\n')
    .filter((line) => !/^(controller\.quorum\.voters|listeners|advertised\.listeners)=/.test(line));
  const conf = join(dir, 'server.properties');
  writeFileSync(
    conf,
    [
      ...shared,
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=SASL_PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${brokerPort}`,
      `log.dirs=${join(dir, 'data')}`,
    ].join('\n'),
  );
  const java = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-Djava.awt.headless=true'];
  java.push(
    `-Dlog4j2.configurationFile=${join(root, 'infra', 'kafka', 'log4j2.properties')}`,
    '-cp',
    `${lib}/*`,
  );
  // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding.
  // Not starting with '-', which the storage tool's argument parser would read as an option.
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  // The same SASL set-up as infra/kafka: the services' account from the (default) configuration.
  const { kafkaSaslUsername: username, kafkaSaslPassword: password } = loadConfig('tool', {});
  const env = { ...process.env, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password };
  execFileSync(
    'java',
    [
      ...java,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      conf,
      '--add-scram',
      `SCRAM-SHA-512=[name=${username},password=${password}]`,
    ],
    { stdio: 'ignore', env },
  );

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const log = createWriteStream(join(dir, 'kafka.log'), { flags: 'a' });
    child = spawn('java', [...java, 'kafka.Kafka', conf], { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const current = child;
    exited = new Promise((resolve) => current.once('exit', () => resolve()));
    await waitPort(brokerPort, 'the private Kafka broker', 90_000, () => current.exitCode === null);
  };
  const kill = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    brokers: `127.0.0.1:${brokerPort}`,
    async crashAndRestart(downMs = 5000) {
      await kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** The URL of the pedigree_test database as the pedigree role, like the shared instance's. */
  databaseUrl: string;
  /** Immediate shutdown (no checkpoint: the server recovers from its WAL, as after a crash), down `downMs`, start. */
  crashAndRestart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function postgresBin(tool: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const path = join(base, version, 'bin', tool);
    if (existsSync(path)) return path;
  }
  throw new Error(`PostgreSQL's ${tool} was not found under ${base}: apt-get install postgresql`);
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  // PostgreSQL refuses to run as root: as root, run its tools as the postgres user that the Debian package creates.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', postgresBin(tool), ...args], { stdio: 'ignore' })
      : execFileSync(postgresBin(tool), args, { stdio: 'ignore' });
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=200`;
  const start = async () => {
    run('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-o', options, '-w', 'start']);
    await waitPort(port, 'the private PostgreSQL', 30_000, () => true);
  };
  await start();
  const admin = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE ROLE pedigree LOGIN CREATEDB');
  await admin.query('CREATE DATABASE pedigree_test OWNER pedigree');
  await admin.end();
  return {
    databaseUrl: `postgres://pedigree@127.0.0.1:${port}/pedigree_test`,
    async crashAndRestart(downMs = 5000) {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return Promise.resolve();
    },
  };
}
