import type { SourceMessage } from '@pedigree/supply-chain';
import { poisonLetter, processIsolatingPoison } from './poison-isolation';

const message = (offset: number): SourceMessage => ({
  value: Buffer.from(`m${offset}`),
  key: 'k',
  headers: {},
  topic: 't',
  partition: 0,
  offset: String(offset),
  timestamp: new Date(0).toISOString(),
});

describe('processIsolatingPoison', () => {
  it('isolates the one message that breaks a batch and processes all the others', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => message(i));
    const processed: string[] = [];
    const quarantined: string[] = [];
    await processIsolatingPoison(
      batch,
      async (slice) => {
        if (slice.some((m) => m.offset === '6')) throw new TypeError('boom');
        processed.push(...slice.map((m) => m.offset));
        return Promise.resolve(slice.length);
      },
      async (m) => {
        quarantined.push(m.offset);
        return Promise.resolve();
      },
      () => false,
    );
    expect(quarantined).toEqual(['6']);
    expect(processed.sort()).toEqual(['0', '1', '2', '3', '4', '5', '7', '8', '9']);
  });

  it('lets infrastructure failures through to be retried, quarantining nothing', async () => {
    const quarantine = jest.fn();
    await expect(
      processIsolatingPoison(
        [message(1), message(2)],
        () => Promise.reject(new Error('Connection terminated')),
        quarantine,
        () => true,
      ),
    ).rejects.toThrow('Connection terminated');
    expect(quarantine).not.toHaveBeenCalled();
  });

  it('keeps the original bytes and the error in the dead letter', () => {
    const letter = poisonLetter(message(3), new TypeError('v.replace is not a function'));
    expect(Buffer.from(letter.originalPayloadBase64, 'base64').toString()).toBe('m3');
    expect(letter.reason).toMatchObject({ code: 'PROCESSING_FAILED' });
    expect(letter.reason.detail).toContain('v.replace is not a function');
  });
});
