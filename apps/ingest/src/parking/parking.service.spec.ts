import type { PedigreeConfig } from '@pedigree/config';
import type { DeadLetterMessage } from '@pedigree/messaging';
import type { MessagePublisher } from '../dead-letters/message-publisher';
import type { SourceMessage } from '@pedigree/supply-chain';
import type { BatchResult, IngestPipelineService } from '../pipeline/ingest-pipeline.service';
import type { IngestProgressService } from './ingest-progress.service';
import type { ParkedDocumentRow, ParkingRepository } from './parking.repository';
import { ParkingService } from './parking.service';

function row(
  id: string,
  parkedAt = new Date('2026-03-02T10:00:00Z'),
  publishedAt: Date | null = parkedAt,
): ParkedDocumentRow {
  return {
    id,
    payload: Buffer.from(`<doc ${id}/>`),
    headers: { 'x-pedigree-publisher': 'org-1' },
    source: 'epcis.events.v1/2/41',
    message_key: `key-${id}`,
    event_indexes: id === '7' ? [1] : null,
    waiting_for: ['urn:epc:id:sgtin:4012345.012345.S1'],
    reason: { code: 'UNKNOWN_EPC', detail: 'not commissioned yet' },
    attempts: 0,
    parked_at: parkedAt,
    published_at: publishedAt,
  };
}

const settled = (ids: string[], touchedEpcs: string[] = []): BatchResult => ({
  accepted: ids.length,
  duplicates: 0,
  rejected: 0,
  parked: 0,
  touchedEpcs,
  parkedWaitingFor: [],
  settledParkedIds: ids,
});

/** A service over a scripted parking table and pipeline. */
function setup(options: {
  waiting?: ParkedDocumentRow[];
  expired?: ParkedDocumentRow[];
  process?: (batch: SourceMessage[]) => Promise<BatchResult>;
  /** Epoch ms up to which ingest has read the log (default: everything); an Error when Kafka cannot say. */
  readThrough?: number | Error;
}) {
  const calls = {
    waitingFor: [] as string[][],
    expiredAfter: [] as number[],
    removed: [] as string[],
    asked: [] as number[][],
  };
  const batches: SourceMessage[][] = [];
  const letters: DeadLetterMessage[] = [];
  const repository = {
    waitingFor: (identifiers: string[], afterId = '0') => {
      calls.waitingFor.push(identifiers);
      const after = (options.waiting ?? []).filter((r) => Number(r.id) > Number(afterId));
      return Promise.resolve(after.slice(0, 500));
    },
    parkedLongerThan: (seconds: number) => {
      calls.expiredAfter.push(seconds);
      return Promise.resolve(options.expired ?? []);
    },
    remove: (id: string) => {
      calls.removed.push(id);
      return Promise.resolve();
    },
  } as unknown as ParkingRepository;
  const pipeline = {
    process: (batch: SourceMessage[]) => {
      batches.push(batch);
      return (options.process ?? ((b) => Promise.resolve(settled(b.map((m) => m.parkedId!)))))(batch);
    },
  } as unknown as IngestPipelineService;
  const publisher = {
    deadLetters: (sent: DeadLetterMessage[]) => Promise.resolve(void letters.push(...sent)),
  } as unknown as MessagePublisher;
  const progress = {
    readThroughCount: (times: number[]) => {
      calls.asked.push(times);
      const through = options.readThrough ?? Infinity;
      if (through instanceof Error) return Promise.reject(through);
      return Promise.resolve(times.filter((t) => t <= through).length);
    },
  } as unknown as IngestProgressService;
  const config = { ingestParkTimeoutSeconds: 600, ingestParkRetryIntervalMs: 200 } as PedigreeConfig;
  const service = new ParkingService(config, repository, pipeline, publisher, progress);
  return { service, calls, batches, letters };
}

describe('ParkingService', () => {
  it('looks for waiting documents only when something was touched, and expires on every sweep', async () => {
    const { service, calls, batches } = setup({});
    await service.sweep();
    expect(calls).toEqual({ waitingFor: [], expiredAfter: [600], removed: [], asked: [] });
    service.notifyTouched(['urn:epc:id:sgtin:4012345.012345.S1', 'urn:epc:id:sgtin:4012345.012345.S1']);
    await service.sweep();
    expect(calls.waitingFor).toEqual([['urn:epc:id:sgtin:4012345.012345.S1']]);
    expect(batches).toEqual([]);
  });

  it('looks once more for what a committed batch parked, which another partition may have provided meanwhile', async () => {
    const { service, calls } = setup({});
    service.notifyCommitted({
      ...settled([], ['urn:epc:id:sscc:1']),
      parkedWaitingFor: ['urn:epc:id:sscc:2'],
    });
    await service.sweep();
    expect(calls.waitingFor).toEqual([['urn:epc:id:sscc:1', 'urn:epc:id:sscc:2']]);
  });

  it('retries every page of the documents an identifier may have unblocked in one sweep', async () => {
    const waiting = Array.from({ length: 501 }, (_, i) => row(String(i + 1)));
    const { service, batches, calls } = setup({ waiting, process: () => Promise.resolve(settled([])) });
    service.notifyTouched(['urn:epc:id:sgtin:4012345.012345.S1']);
    await service.sweep();
    expect(calls.waitingFor).toHaveLength(2);
    expect(batches.flat().map((m) => m.parkedId)).toEqual(waiting.map((r) => r.id));
  });

  it('retries the documents an identifier may have unblocked, as the message they came in', async () => {
    const { service, batches } = setup({ waiting: [row('7')] });
    service.notifyTouched(['urn:epc:id:sgtin:4012345.012345.S1']);
    await service.sweep();
    expect(batches).toEqual([
      [
        {
          value: Buffer.from('<doc 7/>'),
          key: 'key-7',
          headers: { 'x-pedigree-publisher': 'org-1' },
          topic: 'epcis.events.v1',
          partition: 2,
          offset: '41',
          timestamp: '2026-03-02T10:00:00.000Z',
          parkedId: '7',
          onlyEventIndexes: [1],
          parkTimedOut: false,
        },
      ],
    ]);
  });

  it('applies expired documents one last time with their wait marked over, and retries what they touched', async () => {
    const { service, batches, calls } = setup({
      expired: [row('3'), row('4')],
      process: (batch) => Promise.resolve(settled([], batch[0]!.parkTimedOut ? ['urn:epc:id:sscc:1'] : [])),
    });
    await service.sweep();
    expect(batches.flat().map((m) => [m.parkedId, m.parkTimedOut])).toEqual([
      ['3', true],
      ['4', true],
    ]);
    await service.sweep();
    expect(calls.waitingFor).toEqual([['urn:epc:id:sscc:1']]);
  });

  it('dead-letters and removes the one parked document that breaks processing, and applies the others', async () => {
    const { service, calls, letters, batches } = setup({
      expired: [row('3'), row('4')],
      process: (batch) =>
        batch.some((m) => m.parkedId === '4')
          ? Promise.reject(new Error('unexpected shape'))
          : Promise.resolve(settled(batch.map((m) => m.parkedId!))),
    });
    await service.sweep();
    expect(calls.removed).toEqual(['4']);
    expect(letters.map((l) => [l.reason.code, l.source.offset])).toEqual([['PROCESSING_FAILED', '41']]);
    expect(batches.map((b) => b.map((m) => m.parkedId))).toEqual([['3', '4'], ['3'], ['4']]);
  });

  it('expires only what ingest has read the log past: up to the timeout after publication, in that order', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute));
    const { service, batches, calls } = setup({
      // Parked in id order, published out of it; ingest has read the log up to 10:14.
      expired: [row('3', at(4), at(3)), row('4', at(1), at(0)), row('5', at(6), at(5))],
      readThrough: at(14).getTime(),
    });
    await service.sweep();
    expect(calls.asked).toEqual([[at(10), at(13), at(15)].map((d) => d.getTime())]);
    expect(batches.flat().map((m) => [m.parkedId, m.timestamp])).toEqual([
      ['4', at(0).toISOString()],
      ['3', at(3).toISOString()],
    ]);
  });

  it('measures from the parking when the publication time is missing or later (a clock ahead)', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute));
    const { service, calls } = setup({
      expired: [row('3', at(2), null), row('4', at(1), at(30))],
      readThrough: 0,
    });
    await service.sweep();
    expect(calls.asked).toEqual([[at(11), at(12)].map((d) => d.getTime())]);
  });

  it('expires nothing while Kafka cannot say how far ingest has read', async () => {
    const { service, batches } = setup({ expired: [row('3')], readThrough: new Error('broker down') });
    await service.sweep();
    expect(batches).toEqual([]);
  });
});
