import { SpikeRuns } from './spike-runs';

describe('SpikeRuns', () => {
  it('joins a pharmacy’s unusual weeks next to each other into one run, whichever order they are scored in', () => {
    const runs = new SpikeRuns();
    expect(runs.note('pharmacy-a', '2026-04-13', ['p1'])).toEqual({
      subject: 'pharmacy-a:2026-04-13',
      firstWeek: '2026-04-13',
      lastWeek: '2026-04-13',
      epcs: ['p1'],
    });
    runs.note('pharmacy-a', '2026-04-20', ['p2', 'p1']);
    // A backlog week before the run, scored late, joins it too.
    expect(runs.note('pharmacy-a', '2026-04-06', ['p3'])).toEqual({
      subject: 'pharmacy-a:2026-04-13',
      firstWeek: '2026-04-06',
      lastWeek: '2026-04-20',
      epcs: ['p1', 'p2', 'p3'],
    });
  });

  it('starts a new run after a quiet week, and keeps pharmacies apart', () => {
    const runs = new SpikeRuns();
    runs.note('pharmacy-a', '2026-04-13', ['p1']);
    expect(runs.note('pharmacy-b', '2026-04-20', ['q1']).subject).toBe('pharmacy-b:2026-04-20');
    expect(runs.note('pharmacy-a', '2026-04-27', ['p2'])).toMatchObject({
      subject: 'pharmacy-a:2026-04-27',
      epcs: ['p2'],
    });
  });

  it('comes back from its snapshot', () => {
    const runs = new SpikeRuns();
    runs.note('pharmacy-a', '2026-04-13', ['p1']);
    const restored = new SpikeRuns();
    restored.restore(runs.snapshot());
    expect(restored.note('pharmacy-a', '2026-04-20', ['p2']).subject).toBe('pharmacy-a:2026-04-13');
  });
});
