import { Logger } from '@nestjs/common';
import type { PedigreeConfig } from '@pedigree/config';
import type { Admin, Kafka } from 'kafkajs';
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
      // Another service may have created them in the meantime, or the broker created them and is still electing
      // leaders (under load it answers "does not host this topic-partition" for a while): wait for them to serve.
      if (
        !(await topicsServe(
          admin,
          missing.map((m) => m.name),
          30_000,
        ))
      )
        throw error;
    }
    logger.log(`created topics ${missing.map((m) => m.name).join(', ')}`);
    return missing.map((m) => m.name);
  } finally {
    await admin.disconnect();
  }
}

/** Whether every partition of these topics has a leader within `timeoutMs` (metadata errors count as not yet). */
async function topicsServe(admin: Admin, names: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const ready = topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready && topics.length === names.length) return true;
    } catch {
      // not created yet, or no leader yet
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
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
