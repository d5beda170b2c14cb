import { impossibleLeg } from './impossible-travel.detector';

const H = 3_600_000;

describe('impossibleLeg', () => {
  it('flags a leg faster than a truck can drive', () => {
    expect(impossibleLeg(600, 0, 0.5 * H)).toEqual({ km: 600, hours: 0.5, kmh: 1200 });
  });

  it('accepts a plausible leg, and never judges short ones (approximate coordinates, clock drift)', () => {
    expect(impossibleLeg(600, 0, 8 * H)).toBeUndefined();
    expect(impossibleLeg(20, 0, 60_000)).toBeUndefined();
    expect(impossibleLeg(undefined, 0, 60_000)).toBeUndefined();
  });

  it('treats a receipt before the shipment, far away, as impossible', () => {
    expect(impossibleLeg(300, 2 * H, H)?.kmh).toBe(Infinity);
  });
});
