import { detectorMasterDataOf } from '../member-sites';
import { SiteDirectory } from '../site-directory';
import { ShipmentFeatures } from './shipment-features';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const member = (id: string, role: string, prefix: string) => ({
  id,
  role,
  region: 'DE-N',
  latitude: 53.5,
  longitude: 10,
  glns: [`${prefix}000000`],
  companyPrefixes: [prefix],
});
const SITES = new SiteDirectory(
  detectorMasterDataOf([
    member('wholesaler', 'wholesaler', '4000002'),
    ...Array.from({ length: 4 }, (_, i) => member(`pharmacy-${i}`, 'pharmacy', `400001${i}`)),
    member('newcomer', 'pharmacy', '4000099'),
  ]),
);
const packs = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `urn:epc:id:sgtin:4000001.012345.S${from + i}`);

/** Weeks of ordinary orders of six packs from the wholesaler to four pharmacies that sell them. */
function withHistory(): ShipmentFeatures {
  const features = new ShipmentFeatures(SITES);
  let serial = 0;
  for (let week = 0; week < 6; week++)
    for (let p = 0; p < 4; p++) {
      const at = T0 + week * 7 * DAY + p * 3_600_000;
      const to = `400001${p}000000`;
      for (let d = 0; d < 6; d++) features.noteOutflow(to, '04000001123456', at + d * DAY, 1);
      features.observe({
        subject: `tote-${week}-${p}`,
        from: '4000002000000',
        to,
        at,
        hash: 'h',
        packs: packs(6, serial),
      });
      serial += 6;
    }
  return features;
}

describe('ShipmentFeatures: who can be diverted to', () => {
  it('does not count a new member’s first ordinary order against it', () => {
    const vector = withHistory().observe({
      subject: 'first-order',
      from: '4000002000000',
      to: '4000099000000',
      at: T0 + 50 * DAY,
      hash: 'h',
      packs: packs(8, 10_000),
    });
    expect(vector.divertible).toBe(false);
  });

  it('still counts a quantity several times what pharmacies receive, new member or not', () => {
    const vector = withHistory().observe({
      subject: 'large-order',
      from: '4000002000000',
      to: '4000099000000',
      at: T0 + 50 * DAY,
      hash: 'h',
      packs: packs(60, 10_000),
    });
    expect(vector.divertible).toBe(true);
  });

  it('counts weeks of stock beyond what a known pharmacy sells', () => {
    const vector = withHistory().observe({
      subject: 'stockpile',
      from: '4000002000000',
      to: '4000010000000',
      at: T0 + 50 * DAY,
      hash: 'h',
      packs: packs(40, 10_000),
    });
    expect(vector.divertible).toBe(true);
  });
});
