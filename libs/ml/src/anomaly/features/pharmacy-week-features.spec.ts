import { PharmacyWeekFeatures, weekIndex } from './pharmacy-week-features';

const DAY = 86_400_000;
const MONDAY = Date.parse('2026-02-23T10:00:00Z');
const GTIN = '04000001123456';

/** `packs` sold at `site` on each day of `weeks` weeks from `from`; the vectors of every week that closed meanwhile. */
function sell(features: PharmacyWeekFeatures, site: string, from: number, weeks: number, packs = 3) {
  const out: ReturnType<PharmacyWeekFeatures['advance']> = [];
  for (let day = 0; day < weeks * 7; day++) {
    const at = from + day * DAY;
    for (let i = 0; i < packs; i++)
      features.noteDispensed(site, 'DE-N', GTIN, `urn:epc:${site}:${day}:${i}`, at);
    out.push(...features.advance(at));
  }
  return out;
}

describe('PharmacyWeekFeatures: when weeks close', () => {
  it('closes each pharmacy week once the network is a day and a half past it, scored after three weeks of baseline', () => {
    const features = new PharmacyWeekFeatures();
    // Six weeks sold, the last ending on a Sunday: five weeks are closed, the first three only learnt from.
    const vectors = sell(features, 'a', MONDAY, 6);
    expect(vectors.map((v) => v.weekStart)).toEqual(['2026-03-16', '2026-03-23']);
  });

  it('scores a backlog that arrives after the network has moved on, instead of dropping it', () => {
    // The demo's own flow (today) reaches intelligence before its 40-week replayed history; a member may likewise
    // upload months of past dispensing after joining. Their weeks close by their own clock.
    const features = new PharmacyWeekFeatures();
    sell(features, 'live', MONDAY + 30 * 7 * DAY, 3);
    const history = sell(features, 'h1', MONDAY, 10);
    // Ten weeks replayed: nine closed by the backlog's clock, six scored after the three weeks of baseline.
    expect(history.map((v) => v.weekStart)).toEqual([
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
      '2026-04-06',
      '2026-04-13',
      '2026-04-20',
    ]);
    expect(history.every((v) => v.values[0] === Math.log1p(21))).toBe(true);
  });

  it('closes a later backlog by its own clock, once an earlier one has caught up', () => {
    const features = new PharmacyWeekFeatures();
    sell(features, 'live', MONDAY + 30 * 7 * DAY, 3);
    // A first member's history catches up with the network: nothing of it is left open behind the network's week.
    sell(features, 'h1', MONDAY, 33);
    expect(features.state.backfillClock).toBeUndefined();
    // A second member uploads six weeks of an earlier year: its weeks close as its own events pass them (whole
    // weeks of 21 packs), not at once on its first day because the first backlog had reached week 33.
    const second = sell(features, 'h2', MONDAY + 5 * 7 * DAY, 6);
    expect(second.map((v) => v.weekStart)).toEqual(['2026-04-20', '2026-04-27']);
    expect(second.every((v) => v.values[0] === Math.log1p(21))).toBe(true);
  });

  it('learns a late week into the baselines as if it had come on time, so the next ordinary week is no spike', () => {
    // A pharmacy's second week reaches intelligence only after the network has closed its fourth (its dispensing was
    // parked until the receipt arrived, in a replay where a week passes in seconds).
    const run = (late: boolean) => {
      const features = new PharmacyWeekFeatures();
      const vectors: ReturnType<PharmacyWeekFeatures['advance']> = [];
      const held: [string, number][] = [];
      for (let day = 0; day < 8 * 7; day++) {
        const at = MONDAY + day * DAY;
        for (let i = 0; i < 3; i++) {
          const epc = `urn:epc:a:${day}:${i}`;
          if (late && day >= 7 && day < 14) held.push([epc, at]);
          else features.noteDispensed('a', 'DE-N', GTIN, epc, at);
        }
        if (day === 4 * 7 + 2) for (const [epc, t] of held) features.noteDispensed('a', 'DE-N', GTIN, epc, t);
        vectors.push(...features.advance(at));
      }
      return { features, vectors };
    };
    const onTime = run(false);
    const lateRun = run(true);
    expect(lateRun.features.state.baseTotal.a!.mean).toBeCloseTo(onTime.features.state.baseTotal.a!.mean, 9);
    expect(lateRun.features.state.baseGtin.a![GTIN]!.mean).toBeCloseTo(
      onTime.features.state.baseGtin.a![GTIN]!.mean,
      9,
    );
    const last = (vectors: ReturnType<PharmacyWeekFeatures['advance']>) => vectors[vectors.length - 1]!;
    expect(last(lateRun.vectors).weekStart).toBe(last(onTime.vectors).weekStart);
    expect(last(lateRun.vectors).values[1]).toBeCloseTo(last(onTime.vectors).values[1]!, 9);
    expect(last(lateRun.vectors).upward).toBe(false);
  });

  it('still refuses an event for a week already closed for that pharmacy', () => {
    const features = new PharmacyWeekFeatures();
    sell(features, 'a', MONDAY, 4);
    const before = features.state.open.a ? Object.keys(features.state.open.a).length : 0;
    features.noteDispensed('a', 'DE-N', GTIN, 'urn:epc:late', MONDAY + DAY);
    expect(features.state.open.a?.[String(weekIndex(MONDAY))]).toBeUndefined();
    expect(Object.keys(features.state.open.a ?? {}).length).toBe(before);
  });
});

describe('PharmacyWeekFeatures: a week looked at before it closes', () => {
  const SPIKE = '04000001999999';

  /** Two pharmacies of one region sell alike for seven weeks; `a` sells `spike` more packs of SPIKE a day from the sixth week's Thursday. */
  function run(spike: number, advanceOn: (day: number) => boolean = () => true) {
    const features = new PharmacyWeekFeatures();
    const vectors: ReturnType<PharmacyWeekFeatures['advance']> = [];
    for (let day = 0; day < 7 * 7; day++) {
      const at = MONDAY + day * DAY;
      for (const site of ['a', 'b']) {
        for (let i = 0; i < 3; i++)
          features.noteDispensed(site, 'DE-N', GTIN, `urn:epc:${site}:${day}:${i}`, at);
        features.noteDispensed(site, 'DE-N', SPIKE, `urn:epc:${site}:${day}:s`, at);
      }
      if (day >= 5 * 7 + 3)
        for (let i = 0; i < spike; i++)
          features.noteDispensed('a', 'DE-N', SPIKE, `urn:epc:a:${day}:x${i}`, at);
      if (advanceOn(day)) vectors.push(...features.advance(at));
    }
    return { features, vectors };
  }

  it('raises a product far above a whole normal week while its week runs, days before the week closes', () => {
    const { vectors } = run(6);
    const early = vectors.filter((v) => v.weekToDate);
    const sixth = weekStartIsoOf(5);
    // The spike runs from the sixth week's Thursday to the end: both its weeks are raised while open, at `a` only.
    expect([...new Set(early.map((v) => `${v.site} ${v.weekStart} ${v.gtins.join()}`))]).toEqual([
      `a ${sixth} ${SPIKE}`,
      `a ${weekStartIsoOf(6)} ${SPIKE}`,
    ]);
    // Seven packs of SPIKE a normal week. Saturday's look finds 24 (six ordinary, three days of six extra): five
    // standard deviations above a whole week, four days before the week closes (the next Tuesday, 36 h past it).
    const first = early[0]!;
    expect(first.weekStart).toBe(sixth);
    expect(first.epcs).toContain('urn:epc:a:40:x5');
    expect(first.epcs).not.toContain('urn:epc:a:41:x0');
    expect(first.epcs).toContain('urn:epc:a:38:x0');
    const closed = vectors.find((v) => !v.weekToDate && v.site === 'a' && v.weekStart === sixth);
    expect(closed?.upward).toBe(true);
    expect(vectors.indexOf(first)).toBeLessThan(vectors.indexOf(closed!));
  });

  it('raises nothing early for an ordinary week, or for a rise the closed week alone can judge', () => {
    expect(run(0).vectors.filter((v) => v.weekToDate)).toEqual([]);
    // One extra pack a day: three standard deviations over the week, not five over a whole one mid-week.
    expect(run(1).vectors.filter((v) => v.weekToDate)).toEqual([]);
  });

  it('learns nothing from a look: the baselines are those of a run that looked once a week, not daily', () => {
    const looked = run(6).features.state;
    // The same data with the clock advanced only on Sundays: six of every seven looks never happen.
    const weekly = run(6, (day) => day % 7 === 6).features.state;
    expect(weekly.checkedDay).toBeDefined();
    expect(looked.baseTotal).toEqual(weekly.baseTotal);
    expect(looked.baseGtin).toEqual(weekly.baseGtin);
    expect(looked.history).toEqual(weekly.history);
  });
});

function weekStartIsoOf(weeksAfterMonday: number): string {
  return new Date(MONDAY + weeksAfterMonday * 7 * DAY).toISOString().slice(0, 10);
}
