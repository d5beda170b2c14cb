import { judgeDisplacement } from './displacement.detector';

const sameOrg = (a?: string, b?: string) =>
  a !== undefined && b !== undefined && a.slice(0, 3) === b.slice(0, 3);

describe('judgeDisplacement', () => {
  it('accepts a pack where it is, or travelling to where it is seen (also another site of the same member)', () => {
    expect(judgeDisplacement({ site: 'AAA-1' }, 'AAA-1', sameOrg)).toBe('consistent');
    expect(judgeDisplacement({ site: 'AAA-1' }, 'AAA-2', sameOrg)).toBe('consistent');
    expect(judgeDisplacement({ transitTo: 'BBB-1' }, 'BBB-1', sameOrg)).toBe('consistent');
  });

  it('calls a pack on another shelf a clone and one travelling elsewhere a custody break', () => {
    expect(judgeDisplacement({ site: 'AAA-1' }, 'BBB-1', sameOrg)).toBe('cloned_serial');
    expect(judgeDisplacement({ transitTo: 'CCC-1' }, 'BBB-1', sameOrg)).toBe('custody_break');
    expect(judgeDisplacement({}, 'BBB-1', sameOrg)).toBe('unknown_location');
  });
});
