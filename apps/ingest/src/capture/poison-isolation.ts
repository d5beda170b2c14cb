import type { DeadLetterMessage } from '@pedigree/messaging';
import { deadLetterSourceOf, type SourceMessage } from '@pedigree/supply-chain';

/** A dead letter for a message whose processing failed with a bug or unexpected data, kept byte for byte. */
export function poisonLetter(message: SourceMessage, error: unknown): DeadLetterMessage {
  const reason = {
    code: 'PROCESSING_FAILED',
    detail: `Processing failed with an unexpected error (${error instanceof Error ? error.message.slice(0, 300) : String(error)}); the message is kept here to be replayed once fixed.`,
  };
  return {
    schemaVersion: 1,
    reason,
    issues: [reason],
    source: deadLetterSourceOf(message),
    originalPayloadBase64: message.value.toString('base64'),
    rejectedAt: new Date().toISOString(),
  };
}

/**
 * Runs `process` on the batch; when it fails for a reason other than the infrastructure, splits the batch in halves
 * until the message that breaks it is alone, and hands that one to `quarantine`. One poison message therefore costs
 * O(log n) extra transactions and never blocks its partition.
 */
export async function processIsolatingPoison<T>(
  messages: SourceMessage[],
  process: (batch: SourceMessage[]) => Promise<T>,
  quarantine: (message: SourceMessage, error: unknown) => Promise<void>,
  isInfrastructureFailure: (error: unknown) => boolean,
): Promise<T[]> {
  try {
    return [await process(messages)];
  } catch (error) {
    if (isInfrastructureFailure(error)) throw error;
    if (messages.length === 1) {
      await quarantine(messages[0]!, error);
      return [];
    }
    const middle = Math.ceil(messages.length / 2);
    const first = await processIsolatingPoison(
      messages.slice(0, middle),
      process,
      quarantine,
      isInfrastructureFailure,
    );
    const second = await processIsolatingPoison(
      messages.slice(middle),
      process,
      quarantine,
      isInfrastructureFailure,
    );
    return [...first, ...second];
  }
}
