import type { PedigreeConfig } from '@pedigree/config';
import {
  createKafka,
  type DeadLetterMessage,
  Headers,
  signDocument,
  signRelay,
  topicName,
  type TopicDefinition,
  Topics,
  TypedProducer,
} from '@pedigree/messaging';
import { glnOf } from '@pedigree/epcis';
import { type Signer, Wallet } from 'ethers';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from './repo-paths';

/** Polls until `check` returns a value (not undefined/false), or fails with the last observation. */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${description}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: globalThis.Headers;
  body: T;
  contentType: string;
}

/** A small HTTP client for the API under test. */
export function apiClient(port: number, token?: string) {
  const request = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed as T,
      contentType: response.headers.get('content-type') ?? '',
    };
  };
  return {
    get: <T = unknown>(path: string, headers?: Record<string, string>) =>
      request<T>('GET', path, undefined, headers),
    post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
      request<T>('POST', path, body, headers),
    delete: <T = unknown>(path: string) => request<T>('DELETE', path),
    request,
  };
}

/**
 * Registers a member through the admin API, with its company prefix and two GLNs of it (party and site), and gives
 * it an API key.
 */
export async function registerMember(
  admin: ReturnType<typeof apiClient>,
  member: { name: string; role: string; prefix: string },
): Promise<{ id: string; key: string; keyId: string }> {
  const org = await admin.post<{ id: string }>('/v1/admin/organisations', {
    name: member.name,
    role: member.role,
    companyPrefixes: [member.prefix],
    glns: [glnOf(member.prefix, 0), glnOf(member.prefix, 1)],
  });
  if (org.status !== 201) throw new Error(`registering ${member.name} answered ${org.status}`);
  const key = await admin.post<{ id: string; key: string }>(
    `/v1/admin/organisations/${org.body.id}/api-keys`,
    {
      label: 'test',
    },
  );
  return { id: org.body.id, key: key.body.key, keyId: key.body.id };
}

/**
 * Produces raw bytes to `epcis.events.v1` of the test's topics. A document with a publisher header (see
 * `publisherHeader`) is signed with the test context's API relay key, as the API relays what a member captured;
 * one without goes as it is (unauthenticated, so ingest dead-letters it). `signer` signs as a member instead.
 */
export async function produceDocuments(
  config: PedigreeConfig,
  documents: {
    key?: string;
    value: Buffer | string | object;
    headers?: Record<string, string>;
    signer?: Signer;
  }[],
): Promise<void> {
  const producer = new TypedProducer(
    createKafka(config, `test-producer-${randomBytes(2).toString('hex')}`),
    config,
  );
  try {
    const messages = await Promise.all(
      documents.map(async (d) => {
        const value = Buffer.isBuffer(d.value)
          ? d.value
          : Buffer.from(typeof d.value === 'string' ? d.value : JSON.stringify(d.value));
        return { key: d.key, value, headers: await signedHeaders(config, value, d.headers, d.signer) };
      }),
    );
    await producer.send(Topics.epcisEvents, messages);
  } finally {
    await producer.disconnect();
  }
}

/** Headers as the API relay would send them for `publisher` (signed with the test context's relay key). */
export function relayHeaders(
  config: PedigreeConfig,
  value: Buffer,
  publisher: string,
): Promise<Record<string, string>> {
  return signedHeaders(config, value, publisherHeader(publisher));
}

async function signedHeaders(
  config: PedigreeConfig,
  value: Buffer,
  headers: Record<string, string> = {},
  signer?: Signer,
): Promise<Record<string, string>> {
  if (signer) return { ...headers, ...(await signDocument(signer, value)) };
  const publisher = headers[Headers.publisherOrgId];
  if (!publisher || headers[Headers.relaySignature] || !config.apiRelayPrivateKey) return headers;
  const relay = new Wallet(config.apiRelayPrivateKey);
  return {
    ...headers,
    ...(await signRelay(relay, value, {
      publisher,
      captureId: headers[Headers.captureId] ?? '',
      errorBehaviour: headers[Headers.errorBehaviour] === 'proceed' ? 'proceed' : 'rollback',
    })),
  };
}

export function publisherHeader(organisationId: string): Record<string, string> {
  return { [Headers.publisherOrgId]: organisationId };
}

/** Reads every message of a topic from the beginning until `count` arrived (or the timeout passed). */
export async function readTopic<T>(
  config: PedigreeConfig,
  topic: TopicDefinition<T>,
  count: number,
  timeoutMs = 30_000,
): Promise<T[]> {
  const kafka = createKafka(config, 'test-reader');
  const consumer = kafka.consumer({
    groupId: `${config.kafkaTopicPrefix}-reader-${randomBytes(3).toString('hex')}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(topic, config.kafkaTopicPrefix), fromBeginning: true });
  const messages: T[] = [];
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: ({ message }) => {
          messages.push(JSON.parse(message.value!.toString('utf8')) as T);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export function readDeadLetters(
  config: PedigreeConfig,
  count: number,
  timeoutMs?: number,
): Promise<DeadLetterMessage[]> {
  return readTopic(config, Topics.eventsRejected, count, timeoutMs);
}

/** A direct database connection to the test schema, for assertions and for tampering on purpose. */
export async function database(config: PedigreeConfig): Promise<Client> {
  const client = new Client({
    connectionString: config.databaseUrl,
    options: `-c search_path=${config.databaseSchema}`,
  });
  await client.connect();
  return client;
}

/** Runs the `pedigree` CLI as a user would (its own process) against a test API; `--json` output parsed. */
export function pedigreeJson<R>(
  apiPort: number,
  key: string,
  args: string[],
  env: Record<string, string>,
): { code: number | null; report: R } {
  const result = spawnSync(
    process.execPath,
    [
      join(repoRoot(), 'bin', 'pedigree.js'),
      '--api',
      `http://127.0.0.1:${apiPort}`,
      '--key',
      key,
      '--json',
      ...args,
    ],
    { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
  );
  return { code: result.status, report: JSON.parse(result.stdout || '{}') as R };
}
