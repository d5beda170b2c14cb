import { Logger } from '@nestjs/common';
import type { PedigreeConfig } from '@pedigree/config';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

const logger = new Logger('kafkajs');

/** Routes kafkajs logs through the Nest logger (structured, one format for the whole service). */
/**
 * Messages that say nothing actionable here: Pedigree limits producer retries on purpose (an outage must surface
 * as an error rather than a send that never returns) and dedupes by Event Hash ID, so a retried send is harmless.
 */
const IGNORED = [/Limiting retries for the idempotent producer/];

function logCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    if (IGNORED.some((pattern) => pattern.test(message))) return;
    const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    switch (level) {
      case logLevel.ERROR:
        // kafkajs reports retried, recoverable conditions at ERROR (e.g. a coordinator moving); keep them visible.
        logger.warn(`${message}${details}`);
        break;
      case logLevel.WARN:
        logger.warn(`${message}${details}`);
        break;
      case logLevel.INFO:
        logger.debug(`${message}${details}`);
        break;
      case logLevel.DEBUG:
      case logLevel.NOTHING:
        break;
    }
  };
}

/** A kafkajs client signed in with the services' SCRAM account (the broker refuses anonymous clients). */
export function createKafka(config: PedigreeConfig, clientSuffix: string): Kafka {
  return new Kafka({
    clientId: `${config.kafkaClientId}-${clientSuffix}`,
    brokers: config.kafkaBrokers,
    sasl: {
      mechanism: 'scram-sha-512',
      username: config.kafkaSaslUsername,
      password: config.kafkaSaslPassword,
    },
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    // Broker restarts take a few seconds; retry long enough to ride through one.
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 12 },
  });
}
