import type { PedigreeConfig } from '@pedigree/config';
import type { AnchoringBacklog, AnchoringBacklogRepository } from './anchoring-backlog.repository';
import { AnchoringBackpressureService } from './anchoring-backpressure.service';

class TestClock extends AnchoringBackpressureService {
  private clock = 1_000_000;
  /** Each look at the clock moves it on by the poll interval, so every poll reads the backlog again. */
  protected override now(): number {
    return (this.clock += AnchoringBackpressureService.pollMs);
  }
}

/** A service over a scripted backlog: each read returns the next reading (the last one repeats). */
function setup(readings: AnchoringBacklog[], max = 1000) {
  const reads: number[] = [];
  const repository = {
    read: () => {
      reads.push(1);
      return Promise.resolve(readings[Math.min(reads.length - 1, readings.length - 1)]);
    },
  } as unknown as AnchoringBacklogRepository;
  const config = { ingestMaxUnanchoredEvents: max, ingestLedgerStallSeconds: 60 } as PedigreeConfig;
  const service = new TestClock(config, repository);
  return { service, reads };
}

describe('AnchoringBackpressureService', () => {
  beforeAll(() => (AnchoringBackpressureService.pollMs = 1));
  const alive = () => new Date(1_000_000 - 2000);
  const never = () => false;
  const beat = () => Promise.resolve();

  it('lets ingest go at once while the backlog and the transaction fit within the bound', async () => {
    const { service, reads } = setup([{ events: 500, lastConfirmedAt: alive() }]);
    (await service.admit(beat, never))(500);
    await service.admit(beat, never);
    expect(reads).toHaveLength(2);
  });

  it('holds ingest back while a live ledger has more than the bound to anchor, and lets it go when it catches up', async () => {
    const { service, reads } = setup([
      { events: 5000, lastConfirmedAt: alive() },
      { events: 3000, lastConfirmedAt: alive() },
      { events: 900, lastConfirmedAt: alive() },
    ]);
    await service.admit(beat, never);
    expect(reads).toHaveLength(3);
  });

  it('counts the transactions it is running at their recent size, so partitions handled at once do not overshoot together', async () => {
    const { service, reads } = setup(
      [
        { events: 0, lastConfirmedAt: alive() },
        { events: 0, lastConfirmedAt: alive() },
        { events: 3000, lastConfirmedAt: alive() },
        { events: 2500, lastConfirmedAt: alive() },
        { events: 1000, lastConfirmedAt: alive() },
      ],
      10_000,
    );
    (await service.admit(beat, never))(4000); // transactions carry about 4,000 events
    await service.admit(beat, never); // one running now
    // 3,000 (then 2,500) waiting + 4,000 running + 4,000 more > 10,000: wait; at 1,000 waiting the next one fits.
    await service.admit(beat, never);
    expect(reads).toHaveLength(5);
  });

  it('lets a transaction larger than the bound through alone once the backlog is empty', async () => {
    const { service, reads } = setup([
      { events: 0, lastConfirmedAt: alive() },
      { events: 10, lastConfirmedAt: alive() },
      { events: 0, lastConfirmedAt: alive() },
    ]);
    (await service.admit(beat, never))(50_000);
    await service.admit(beat, never);
    expect(reads).toHaveLength(3);
  });

  it('does not wait for a ledger that confirmed nothing within the stall time (stopped, not slow)', async () => {
    const stale = new Date(1_000_000 - 61_000);
    const { service, reads } = setup([{ events: 50_000, lastConfirmedAt: stale }]);
    await service.admit(beat, never);
    expect(reads).toHaveLength(1);
    const fresh = setup([{ events: 50_000, lastConfirmedAt: null }]);
    await fresh.service.admit(beat, never);
    expect(fresh.reads).toHaveLength(1);
  });

  it('never waits when the bound is 0, and stops waiting when the consumer stops', async () => {
    const off = setup([{ events: 50_000, lastConfirmedAt: alive() }], 0);
    await off.service.admit(beat, never);
    expect(off.reads).toHaveLength(0);
    const busy = setup([{ events: 50_000, lastConfirmedAt: alive() }]);
    let polls = 0;
    await busy.service.admit(beat, () => ++polls > 3);
    expect(busy.reads).toHaveLength(3);
    expect(polls).toBe(4);
  });
});
