import { type AccessRecord, HarvestingDetector } from './harvesting-detector';

const GTIN = '04012345123456';
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);

function record(serial: string, at: number, over: Partial<AccessRecord> = {}): AccessRecord {
  return {
    apiKeyId: 'key-1',
    organisationId: 'org-1',
    organisationName: 'Grey Pharmacy',
    gtin: GTIN,
    serial,
    found: true,
    held: true,
    at,
    ...over,
  };
}

/** Feeds records and returns every finding. */
function feed(detector: HarvestingDetector, records: AccessRecord[]) {
  return records.flatMap((r) => detector.observe(r) ?? []);
}

describe('HarvestingDetector', () => {
  it('stays quiet for a pharmacy verifying the packs it received, at its usual pace, for hours', () => {
    const detector = new HarvestingDetector();
    // 3 hours, one pack every 20 s, serials from received cases (random order within a case).
    const records = Array.from({ length: 540 }, (_, i) =>
      record(`B7P${i % 2}C${Math.floor(i / 12) % 10}S${(i * 7) % 12}`, T0 + i * 20_000),
    );
    expect(feed(detector, records)).toEqual([]);
  });

  it('flags a key counting through serial numbers it never held as soon as it crosses, once per window', () => {
    const detector = new HarvestingDetector();
    const records = Array.from({ length: 80 }, (_, i) =>
      record(`SN${1000 + i}`, T0 + i * 2000, { found: i % 3 === 0, held: false }),
    );
    const findings = feed(detector, records);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.signals).toEqual(['sequential_serials']);
    expect(finding!.severity).toBe('high');
    expect(finding!.features).toMatchObject({ verifications: 21, sequentialSerials: 20, foreignShare: 1 });
    expect(finding!.summary).toMatch(
      /^The API key of Grey Pharmacy verified 21 packs in 10 minutes: 20 in consecutive serial order.*rate-limited/,
    );
    // A window later a walk that goes on is reported again (the alert counts occurrences).
    const later = Array.from({ length: 60 }, (_, i) =>
      record(`SN${5000 + i}`, T0 + 700_000 + i * 2000, { held: false }),
    );
    expect(feed(detector, later)).toHaveLength(1);
  });

  it('flags serials walked in order even when some of them were the key’s own packs', () => {
    const detector = new HarvestingDetector();
    const records = Array.from({ length: 40 }, (_, i) =>
      record(`X${500 - i}`, T0 + i * 1000, { held: i < 10 }),
    );
    const [finding] = feed(detector, records);
    expect(finding?.signals).toEqual(['sequential_serials']);
  });

  it('does not count a pharmacy scanning its own received cases in serial order', () => {
    const detector = new HarvestingDetector();
    const records = Array.from({ length: 240 }, (_, i) =>
      record(`B1C${Math.floor(i / 12)}S${i % 12}`, T0 + i * 1000),
    );
    expect(feed(detector, records)).toEqual([]);
  });

  it('flags many foreign serials in random order, but not a few returns of packs never held', () => {
    const detector = new HarvestingDetector();
    const random = Array.from({ length: 60 }, (_, i) =>
      record(`R${(i * 7919) % 100_000}Z`, T0 + i * 3000, { held: false }),
    );
    expect(feed(detector, random)[0]?.signals).toEqual(['foreign_serials']);
    const other = new HarvestingDetector();
    const mostlyOwn = Array.from({ length: 200 }, (_, i) =>
      record(`R${(i * 7919) % 100_000}Z`, T0 + i * 3000, { held: i % 5 !== 0 }),
    );
    expect(feed(other, mostlyOwn)).toEqual([]);
  });

  it('flags a rate far above the key’s habit as a medium alert without a limit, and forgets what left the window', () => {
    const detector = new HarvestingDetector();
    // An hour at 5 a minute, then 150 in one minute of its own packs.
    const usual = Array.from({ length: 300 }, (_, i) => record(`U${i}A`, T0 + i * 12_000));
    expect(feed(detector, usual)).toEqual([]);
    const burstStart = T0 + 3_600_000;
    const burst = Array.from({ length: 150 }, (_, i) => record(`V${i}A`, burstStart + i * 300));
    const findings = feed(detector, burst);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.signals).toEqual(['rate_spike']);
    expect(findings[0]!.severity).toBe('medium');
    expect(findings[0]!.summary).toMatch(/no limit is applied/);
  });

  it('keeps one window per key: another key’s walk does not count against this one', () => {
    const detector = new HarvestingDetector();
    const mixed = Array.from({ length: 60 }, (_, i) =>
      record(`SN${i}`, T0 + i * 1000, { apiKeyId: i % 2 === 0 ? 'key-a' : 'key-b', held: true }),
    );
    // Each key sees only every other serial: no neighbours, nothing foreign.
    expect(feed(detector, mixed)).toEqual([]);
  });
});
