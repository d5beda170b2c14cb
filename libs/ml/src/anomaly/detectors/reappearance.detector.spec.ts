import { judgeReobservation } from './reappearance.detector';

const same = (a?: string, b?: string) => a === b;
const dispensed = { kind: 'dispensed' as const, site: 'A', at: 1_000_000 };

describe('judgeReobservation', () => {
  it('calls a later observation of a dispensed pack a reappearance', () => {
    expect(judgeReobservation(dispensed, { at: 2_000_000, site: 'B', terminalKind: 'dispensed' }, same)).toBe(
      'reappearance',
    );
    expect(
      judgeReobservation(dispensed, { at: 90_000_000, site: 'A', terminalKind: 'dispensed' }, same),
    ).toBe('reappearance');
  });

  it('does not call a late-arriving earlier event or a quick re-scan one', () => {
    expect(judgeReobservation(dispensed, { at: 500_000, site: 'B' }, same)).toBe('earlier');
    expect(judgeReobservation(dispensed, { at: 1_060_000, site: 'A', terminalKind: 'dispensed' }, same)).toBe(
      'rescan',
    );
  });
});
