import { Logger } from '@nestjs/common';
import type { PedigreeConfig } from '@pedigree/config';
import type { Kafka } from 'kafkajs';
import { topicName, Topics } from './topics';

const logger = new Logger('TopicAdmin');

/** Creates every registered topic that does not exist yet. Safe to run from several services at once. */
export async function ensureTopics(kafka: Kafka, config: PedigreeConfig): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.values(Topics)
      .map((topic) => ({ topic, name: topicName(topic, config.kafkaTopicPrefix) }))
      .filter(({ name }) => !existing.has(name));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, name }) => ({
          topic: name,
          numPartitions: config.kafkaTopicPartitions,
          configEntries: [
            { name: 'max.message.bytes', value: String(8 * 1024 * 1024) },
            ...(topic.retentionMs ? [{ name: 'retention.ms', value: String(topic.retentionMs) }] : []),
          ],
        })),
      });
    } catch (error) {
      // Another service may have created them in the meantime: only fail if they are still missing.
      const now = new Set(await admin.listTopics());
      if (missing.some(({ name }) => !now.has(name))) throw error;
    }
    logger.log(`created topics ${missing.map((m) => m.name).join(', ')}`);
    return missing.map((m) => m.name);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics of a prefix (tests clean up after themselves). Refuses the empty production prefix. */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete unprefixed (production) topics');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter((name) => name.startsWith(`${prefix}.`));
    if (names.length > 0) await admin.deleteTopics({ topics: names, timeout: 10000 });
  } finally {
    await admin.disconnect();
  }
}
