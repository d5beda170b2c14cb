import { loadConfig } from '@pedigree/config';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/**
 * kafkajs against the real broker this project runs (Apache Kafka 4.x, KRaft): produce, consumer-group consume,
 * offset commit, and the admin calls. Kafka 4 removed old protocol versions; this is what proves kafkajs still
 * speaks to it.
 */
describe('kafkajs against the Kafka broker', () => {
  // The broker refuses anonymous clients: this signs in with the services' SCRAM account from the configuration.
  const config = loadConfig('tool', {});
  const kafka = new Kafka({
    clientId: 'smoke',
    brokers: config.kafkaBrokers,
    sasl: {
      mechanism: 'scram-sha-512',
      username: config.kafkaSaslUsername,
      password: config.kafkaSaslPassword,
    },
    logLevel: logLevel.NOTHING,
  });
  const topic = `smoke-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();

  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('creates, describes and lists a topic', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions).toHaveLength(3);
    expect(await admin.listTopics()).toContain(topic);
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: topic }],
      includeSynonyms: false,
    });
    expect(configs.resources[0].configEntries.some((e) => e.configName === 'retention.ms')).toBe(true);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers[0]).toMatchObject({ host: '127.0.0.1', port: 9092 });
  });

  it('produces, consumes in a consumer group and commits offsets', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const values = Array.from({ length: 30 }, (_, i) => `message-${i}`);
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value, i) => ({ key: `k${i % 5}`, value })),
    });
    await producer.disconnect();

    const groupId = `${topic}-group`;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.length} of 30 messages arrived`)),
        60_000,
      );
      void consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset }) => {
          for (const message of batch.messages) {
            received.push(message.value!.toString());
            resolveOffset(message.offset);
          }
          const last = batch.messages[batch.messages.length - 1];
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
          ]);
          if (received.length >= values.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(received.sort()).toEqual([...values].sort());

    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(values.length);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
  });

  it('deletes the topic', async () => {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    expect(await admin.listTopics()).not.toContain(topic);
  });
});
