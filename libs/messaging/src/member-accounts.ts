import type { PedigreeConfig } from '@pedigree/config';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { createKafka } from './kafka-client.factory';
import { topicName, Topics } from './topics';

/** What a member needs to connect its own producer; the password is shown once and stored nowhere. */
export interface MemberKafkaAccount {
  username: string;
  password: string;
  mechanism: 'SCRAM-SHA-512';
  brokers: string[];
  topic: string;
}

const SCRAM_SHA_512 = 2; // the mechanism's id in the AlterUserScramCredentials protocol
const ITERATIONS = 8192;

/** The broker account name of a member: stable, derived from its id, so nothing else needs storing to find it. */
export function memberKafkaUsername(organisationId: string): string {
  return `member-${organisationId}`;
}

/**
 * Creates (or replaces the password of) a member's SCRAM account and lets it write to the EPCIS topic, nothing
 * else: it reads no topic at all, and the internal topics are the services' alone. Producing still does not make
 * it the publisher of anything: ingest reads that from the document's signature.
 */
export async function upsertMemberAccount(
  config: PedigreeConfig,
  organisationId: string,
): Promise<MemberKafkaAccount> {
  const username = memberKafkaUsername(organisationId);
  const password = randomBytes(24).toString('base64url');
  const salt = randomBytes(32);
  await alterScram(
    config,
    [],
    [
      {
        name: username,
        mechanism: SCRAM_SHA_512,
        iterations: ITERATIONS,
        salt,
        saltedPassword: pbkdf2Sync(password, salt, ITERATIONS, 64, 'sha512'),
      },
    ],
  );
  const topic = topicName(Topics.epcisEvents, config.kafkaTopicPrefix);
  const admin = createKafka(config, 'api-accounts').admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic,
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: `User:${username}`,
          host: '*',
          operation: AclOperationTypes.WRITE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  return { username, password, mechanism: 'SCRAM-SHA-512', brokers: config.kafkaBrokers, topic };
}

/** Removes a member's account: its connections are refused from the next authentication on. */
export async function deleteMemberAccount(config: PedigreeConfig, organisationId: string): Promise<void> {
  await alterScram(config, [{ name: memberKafkaUsername(organisationId), mechanism: SCRAM_SHA_512 }], []);
}

interface Upsertion {
  name: string;
  mechanism: number;
  iterations: number;
  salt: Buffer;
  saltedPassword: Buffer;
}

/**
 * kafkajs has no AlterUserScramCredentials (KIP-554); @platformatic/kafka has the request. It declares Node 22
 * but needs nothing of it here except Promise.withResolvers, provided below on Node 20.
 */
async function alterScram(
  config: PedigreeConfig,
  deletions: { name: string; mechanism: number }[],
  upsertions: Upsertion[],
): Promise<void> {
  provideWithResolvers();
  const kafka = await import('@platformatic/kafka');
  const [host, port] = config.kafkaBrokers[0]!.split(':');
  const connection = new kafka.Connection(`${config.kafkaClientId}-api-accounts`, {
    sasl: {
      mechanism: 'SCRAM-SHA-512',
      username: config.kafkaSaslUsername,
      password: config.kafkaSaslPassword,
    },
  });
  try {
    await connection.connect(host!, Number(port));
    const response = await kafka.alterUserScramCredentialsV0.api.async(connection, deletions, upsertions);
    const failed = response.results.find(
      (r) => r.errorCode !== 0 && !(deletions.length > 0 && r.errorCode === RESOURCE_NOT_FOUND),
    );
    if (failed) {
      throw new Error(
        `Kafka refused the account ${failed.user}: error ${failed.errorCode} ${failed.errorMessage ?? ''}`,
      );
    }
  } finally {
    await new Promise<void>((resolve) => connection.close(() => resolve()));
  }
}

const RESOURCE_NOT_FOUND = 91;

function provideWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (promise.withResolvers) return;
  promise.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const created = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}
