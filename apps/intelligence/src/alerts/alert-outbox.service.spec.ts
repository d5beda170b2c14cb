import type { AlertPublisher } from './alert-publisher.service';
import { type AlertChange, AlertOutbox } from './alert-outbox.service';
import type { AlertCandidate } from './alerts.repository';
import type { SetAsideAlert, SetAsideAlertsRepository } from './set-aside-alerts.repository';

const open = (dedupeKey: string): AlertChange => ({
  action: 'open',
  candidate: {
    dedupeKey,
    kind: 'unknown_serial',
    severity: 'high',
    score: 1,
    epcs: [],
    gtin: null,
    lot: null,
    summary: dedupeKey,
    evidence: { eventHashes: [], rules: [] },
    orgIds: [],
  },
});
const close = (dedupeKey: string): AlertChange => ({ action: 'close', dedupeKey, note: 'explained' });

const down = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const refused = () => Object.assign(new Error('value too long for type character(14)'), { code: '22001' });

/** A publisher that fails as told: `down` while the database is down, `poison` keys always. */
class FakePublisher {
  readonly delivered: string[] = [];
  down = false;
  readonly poison = new Set<string>();

  raise(candidates: AlertCandidate[]): Promise<unknown> {
    return this.attempt(candidates.map((c) => `open ${c.dedupeKey}`));
  }

  close(dedupeKey: string): Promise<unknown> {
    return this.attempt([`close ${dedupeKey}`]);
  }

  private async attempt(changes: string[]): Promise<unknown> {
    await Promise.resolve();
    if (this.down) throw down();
    // Like the real one, a group is written change by change until the bad one.
    for (const change of changes) {
      if (this.poison.has(change)) throw refused();
      this.delivered.push(change);
    }
    return [];
  }
}

class FakeSetAside {
  readonly recorded: Omit<SetAsideAlert, 'id' | 'setAsideAt'>[] = [];
  down = false;

  async record(entry: Omit<SetAsideAlert, 'id' | 'setAsideAt'>): Promise<void> {
    await Promise.resolve();
    if (this.down) throw down();
    this.recorded.push(entry);
  }
}

describe('AlertOutbox', () => {
  let publisher: FakePublisher;
  let setAside: FakeSetAside;
  let outbox: AlertOutbox;

  beforeEach(() => {
    publisher = new FakePublisher();
    setAside = new FakeSetAside();
    outbox = new AlertOutbox(
      publisher as unknown as AlertPublisher,
      setAside as unknown as SetAsideAlertsRepository,
    );
  });

  it('delivers changes in the detector’s order: an alert opened and closed in one batch ends closed', async () => {
    await outbox.send([open('a'), open('b'), close('a'), open('c')]);
    expect(publisher.delivered).toEqual(['open a', 'open b', 'close a', 'open c']);
    expect(outbox.size).toBe(0);
  });

  // The detector ignores events it has seen, so the retried batch yields nothing: the queue is all that is left.
  it('keeps what a database outage refused and delivers it first once the database is back', async () => {
    publisher.down = true;
    await expect(outbox.send([open('a'), close('a')])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(outbox.send([])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(outbox.size).toBe(2);
    publisher.down = false;
    await outbox.send([open('b')]);
    expect(publisher.delivered).toEqual(['open a', 'close a', 'open b']);
    expect(setAside.recorded).toEqual([]);
  });

  it('sets aside a change refused for what it is, with the reason, and goes on with the rest', async () => {
    publisher.poison.add('open b');
    await outbox.send([open('a'), open('b'), open('c')]);
    // `a` is written twice: once in the group that failed, once alone (one more occurrence, nothing lost).
    expect(publisher.delivered).toEqual(['open a', 'open a', 'open c']);
    expect(setAside.recorded).toEqual([
      {
        dedupeKey: 'b',
        action: 'open',
        payload: (open('b') as { candidate: AlertCandidate }).candidate,
        reason: '22001: value too long for type character(14)',
      },
    ]);
    await outbox.send([open('d')]);
    expect(publisher.delivered.at(-1)).toBe('open d');
    expect(outbox.size).toBe(0);
  });

  it('sets aside a closing the store refuses, with its note', async () => {
    publisher.poison.add('close a');
    await outbox.send([close('a'), open('b')]);
    expect(setAside.recorded.map(({ reason, ...entry }) => [entry, reason.slice(0, 5)])).toEqual([
      [{ dedupeKey: 'a', action: 'close', payload: { note: 'explained' } }, '22001'],
    ]);
    expect(publisher.delivered).toEqual(['open b']);
  });

  it('keeps a refused change queued while its set-aside record cannot be written either', async () => {
    publisher.poison.add('open a');
    setAside.down = true;
    await expect(outbox.send([open('a'), open('b')])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(outbox.size).toBe(2);
    setAside.down = false;
    await outbox.send([]);
    expect(setAside.recorded.map((entry) => entry.dedupeKey)).toEqual(['a']);
    expect(publisher.delivered).toEqual(['open b']);
  });
});
