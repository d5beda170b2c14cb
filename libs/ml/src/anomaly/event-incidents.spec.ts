import { SerialIncidents } from './event-incidents';

const HOUR = 3_600_000;
const A = '4000003000014';
const B = '4010004000011';
const GTIN = '04000001123458';
const fake = (n: number) => `urn:epc:id:sgtin:4000001.012345.F${n}`;

describe('SerialIncidents', () => {
  it('groups unknown serials of one product at one site within a day, keyed by the first', () => {
    const incidents = new SerialIncidents();
    expect(incidents.note(fake(1), A, GTIN, 0)).toEqual({ subject: fake(1), epcs: [fake(1)] });
    expect(incidents.note(fake(2), A, GTIN, 3 * HOUR)).toEqual({
      subject: fake(1),
      epcs: [fake(1), fake(2)],
    });
    // Another site, another product, a serial two days later, or no site at all: incidents of their own.
    expect(incidents.note(fake(3), B, GTIN, 4 * HOUR).subject).toBe(fake(3));
    expect(incidents.note(fake(4), A, '04000001999990', 4 * HOUR).subject).toBe(fake(4));
    expect(incidents.note(fake(5), A, GTIN, 60 * HOUR).subject).toBe(fake(5));
    expect(incidents.note(fake(6), undefined, GTIN, 60 * HOUR).subject).toBe(fake(6));
    // A serial seen again is in the incident it is already in.
    expect(incidents.note(fake(2), A, GTIN, 70 * HOUR)).toEqual({
      subject: fake(1),
      epcs: [fake(1), fake(2)],
    });
  });

  it('splits an incident when one of its packs turns out genuine, under a key of its own', () => {
    const incidents = new SerialIncidents();
    for (const [n, hours] of [
      [1, 0],
      [2, 1],
      [3, 2],
    ] as const)
      incidents.note(fake(n), A, GTIN, hours * HOUR);
    expect(incidents.take(fake(2))).toEqual({
      closed: fake(1),
      rest: { subject: `${fake(1)}+1`, epcs: [fake(1), fake(3)], site: A },
    });
    expect(incidents.take(fake(1))).toEqual({
      closed: `${fake(1)}+1`,
      rest: { subject: `${fake(3)}+0`, epcs: [fake(3)], site: A },
    });
    expect(incidents.take(fake(3))).toEqual({ closed: `${fake(3)}+0` });
    expect(incidents.take(fake(3))).toBeUndefined();
  });

  it('survives a snapshot', () => {
    const incidents = new SerialIncidents();
    incidents.note(fake(1), A, GTIN, 0);
    const copy = new SerialIncidents();
    copy.restore(JSON.parse(JSON.stringify(incidents.snapshot())));
    expect(copy.note(fake(2), A, GTIN, HOUR)).toEqual({ subject: fake(1), epcs: [fake(1), fake(2)] });
  });
});
