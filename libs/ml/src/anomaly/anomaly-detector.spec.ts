import {
  commissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  gtinOf,
  packingEvent,
  type Party,
  pglnUrn,
  receivingEvent,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  unpackingEvent,
} from '@pedigree/epcis';
import {
  detectorMasterData,
  InMemoryIngestPipeline,
  type PipelineOutput,
  runThroughPipeline,
} from '../evaluation/pipeline-runner';
import { simulateNetwork } from '../simulator/network/network-simulator';
import { benignConfig, NETWORK_PRESETS } from '../simulator/network/network.presets';
import type {
  MasterData,
  OrganisationInfo,
  OrganisationRole,
  SimulatedMessage,
} from '../simulator/network/network.types';
import type { AcceptedEvent } from '@pedigree/messaging';
import { AnomalyDetector } from './anomaly-detector';
import type { AlertCandidate, DetectorMasterData } from './anomaly.types';
import type { ReorderBufferOptions } from './reorder-buffer';
import { SHIPMENT_FEATURES } from './features/shipment-features';
import { PHARMACY_WEEK_FEATURES } from './features/pharmacy-week-features';

// ── a hand-built network: maker, wholesaler and a pharmacy in Hamburg, another pharmacy in Munich ──────────
function org(
  id: string,
  role: OrganisationRole,
  prefix: string,
  region: string,
  lat: number,
  lon: number,
): OrganisationInfo {
  const site = {
    gln: glnOf(prefix, 1),
    sgln: sglnUrn(prefix, 1),
    orgId: id,
    name: id,
    role,
    region,
    country: 'DE',
    lat,
    lon,
  };
  return {
    id,
    name: id,
    role,
    companyPrefix: prefix,
    partyGln: glnOf(prefix, 0),
    pgln: pglnUrn(prefix, 0),
    glns: [glnOf(prefix, 0), site.gln],
    sites: [site],
    region,
    country: 'DE',
    lat,
    lon,
  };
}
const MAKER = org('maker', 'manufacturer', '4000001', 'DE-N', 53.55, 9.99);
const WHOLESALER = org('wholesaler', 'wholesaler', '4000002', 'DE-N', 53.5, 10.1);
const HAMBURG = org('pharmacy-hh', 'pharmacy', '4000003', 'DE-N', 53.6, 10.0);
const MUNICH = org('pharmacy-m', 'pharmacy', '4010004', 'DE-S', 48.14, 11.58);
const MASTER: MasterData = { regions: [], organisations: [MAKER, WHOLESALER, HAMBURG, MUNICH], products: [] };
const party = (o: OrganisationInfo): Party => ({
  companyPrefix: o.companyPrefix,
  pgln: o.pgln,
  site: o.sites[0]!.sgln,
});

const T0 = Date.parse('2025-03-03T06:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000);
const pack = (n: number) => sgtinUrn(MAKER.companyPrefix, '12345', `S${String(n).padStart(6, '0')}`);
const GTIN = gtinOf(MAKER.companyPrefix, '12345');

let seq = 0;
function message(
  events: Record<string, unknown>[],
  publisher: OrganisationInfo,
  sentHours: number,
): SimulatedMessage {
  const id = `urn:uuid:00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  return {
    seq,
    documentId: id,
    key: 'k',
    publisherOrgId: publisher.id,
    sentAt: at(sentHours).toISOString(),
    document: epcisDocument(events, { id, created: at(sentHours) }),
    description: '',
  };
}

/** Commissioned at the maker, cased, shipped to the wholesaler, received and opened there (hours 0–5). */
function stocked(packs: string[]): SimulatedMessage[] {
  const box = ssccUrn(MAKER.companyPrefix, 1);
  return [
    message(
      [
        commissioningEvent({ epcs: packs, at: party(MAKER), time: at(0), lot: 'L1', expiry: '2027-12-31' }),
        packingEvent({ parent: box, children: packs, at: party(MAKER), time: at(0.1) }),
        shippingEvent({ epcs: [box], from: party(MAKER), to: party(WHOLESALER), time: at(1) }),
      ],
      MAKER,
      1.1,
    ),
    message(
      [
        receivingEvent({ epcs: [box], from: party(MAKER), at: party(WHOLESALER), time: at(4) }),
        unpackingEvent({ parent: box, at: party(WHOLESALER), time: at(4.1) }),
      ],
      WHOLESALER,
      4.2,
    ),
  ];
}

/** A tote of `packs` from the wholesaler to `to`: pick, dispatch, receipt (receipt `transitHours` after dispatch). */
function tote(
  n: number,
  packs: string[],
  to: OrganisationInfo,
  dispatch: number,
  transitHours: number,
): SimulatedMessage[] {
  const sscc = ssccUrn(WHOLESALER.companyPrefix, n);
  return [
    message(
      [packingEvent({ parent: sscc, children: packs, at: party(WHOLESALER), time: at(dispatch - 0.5) })],
      WHOLESALER,
      dispatch - 0.4,
    ),
    message(
      [shippingEvent({ epcs: [sscc], from: party(WHOLESALER), to: party(to), time: at(dispatch) })],
      WHOLESALER,
      dispatch + 0.05,
    ),
    message(
      [
        receivingEvent({
          epcs: [sscc],
          from: party(WHOLESALER),
          at: party(to),
          time: at(dispatch + transitHours),
        }),
        unpackingEvent({ parent: sscc, at: party(to), time: at(dispatch + transitHours + 0.05) }),
      ],
      to,
      dispatch + transitHours + 0.1,
    ),
  ];
}

const dispense = (epc: string, where: OrganisationInfo, hours: number) =>
  message([dispensingEvent({ epcs: [epc], at: party(where), time: at(hours) })], where, hours + 0.01);

/** Messages in the order they were sent, as the stream delivers them. */
const bySent = (messages: SimulatedMessage[]) =>
  [...messages].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt) || a.seq - b.seq);

function detect(
  messages: SimulatedMessage[],
  options: Partial<ConstructorParameters<typeof AnomalyDetector>[0]> = {},
) {
  const detector = new AnomalyDetector({ master: detectorMasterData(MASTER), ...options });
  const run = runThroughPipeline(bySent(messages), detector, { master: MASTER });
  return { alerts: run.alerts, detector, stats: run.stats };
}
const kinds = (alerts: AlertCandidate[]) => alerts.map((a) => a.kind).sort();

/** `count` packs from `from` commissioned at the maker, one event each at `hour(i)` (sent at hour 0; callers re-date). */
function commissioned(from: number, count: number, hour: (i: number) => number): SimulatedMessage {
  return message(
    Array.from({ length: count }, (_, i) =>
      commissioningEvent({
        epcs: [pack(from + i)],
        at: party(MAKER),
        time: at(hour(i)),
        lot: 'L2',
        expiry: '2027-12-31',
      }),
    ),
    MAKER,
    0,
  );
}

/**
 * What the detector raises while the messages arrive, without the final flush (which decides every suspicion): the
 * demo parks documents for 5 minutes, as a history compressed into minutes has no late data worth 48 hours.
 */
function alertsBeforeFlush(messages: SimulatedMessage[]): AlertCandidate[] {
  const pipeline = new InMemoryIngestPipeline({ master: MASTER, parkTimeoutSeconds: 300 });
  const detector = new AnomalyDetector({ master: detectorMasterData(MASTER) });
  const alerts: AlertCandidate[] = [];
  for (const m of messages) {
    const out = pipeline.process(m);
    for (const letter of out.deadLetters) alerts.push(...detector.observeRejected(letter));
    alerts.push(...detector.observeAccepted(out.accepted));
  }
  return alerts;
}

describe('AnomalyDetector (hand-built streams)', () => {
  const packs = [pack(1), pack(2), pack(3)];

  it('stays silent on a clean flow from maker to patient', () => {
    const { alerts, stats } = detect([
      ...stocked(packs),
      ...tote(1, packs, HAMBURG, 24, 2),
      dispense(packs[0]!, HAMBURG, 30),
    ]);
    expect(stats.deadLetters).toBe(0);
    expect(alerts).toEqual([]);
  });

  it('flags impossible travel on a tote received 600 km away ten minutes after dispatch', () => {
    const { alerts } = detect([...stocked(packs), ...tote(1, packs, MUNICH, 24, 1 / 6)]);
    expect(kinds(alerts)).toEqual(['impossible_travel']);
    expect(alerts[0]!.epcs).toEqual(expect.arrayContaining(packs));
    expect(alerts[0]!.severity).toBe('high');
    expect(alerts[0]!.dedupeKey).toBe(`impossible_travel:${ssccUrn(WHOLESALER.companyPrefix, 1)}`);
  });

  it('flags a clone: a pack on the Hamburg shelf dispensed in Munich, confirmed when the original sells', () => {
    const { alerts } = detect([
      ...stocked(packs),
      ...tote(1, packs, HAMBURG, 24, 2),
      dispense(packs[1]!, MUNICH, 40),
      dispense(packs[1]!, HAMBURG, 50),
    ]);
    expect(kinds(alerts)).toEqual(['cloned_serial']);
    expect(alerts[0]!.epcs).toEqual([packs[1]]);
    // Munich's dispensing is not the holder's: it waits (never applied) and becomes clone evidence, on its own,
    // once the genuine pack has left the supply chain.
    expect(alerts[0]!.evidence.eventHashes.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]!.gtin).toBe(GTIN);
  });

  it('does not alert when a receipt reaches Pedigree before the shipment it belongs to', () => {
    const flow = tote(1, packs, HAMBURG, 24, 2);
    flow[1]!.sentAt = at(30).toISOString(); // the dispatch document arrives four hours after the receipt
    const { alerts, stats } = detect([...stocked(packs), ...flow, dispense(packs[0]!, HAMBURG, 28)]);
    // The receipt waits for its shipment (late uploads are within the park timeout) and then applies.
    expect(stats.deadLetters).toBe(0);
    expect(stats.parkedDocuments).toBeGreaterThan(0);
    expect(alerts).toEqual([]);
  });

  it('calls a dispensed pack that a wholesaler repacks a reappearance, although ingest refuses the repacking', () => {
    const packs = [pack(31), pack(32)];
    const { alerts, stats } = detect([
      ...stocked(packs),
      ...tote(7, packs, HAMBURG, 8, 2),
      dispense(packs[0]!, HAMBURG, 20),
      // Three days later the wholesaler picks it into a tote again: it is not the holder, so ingest waits for a
      // transfer that never comes, then dead-letters the document as RULE_NOT_HOLDER.
      message(
        [
          packingEvent({
            parent: ssccUrn(WHOLESALER.companyPrefix, 8),
            children: [packs[0]!],
            at: party(WHOLESALER),
            time: at(92),
          }),
        ],
        WHOLESALER,
        92.1,
      ),
    ]);
    expect(stats.deadLettersByCode).toEqual({ RULE_NOT_HOLDER: 1 });
    expect(kinds(alerts)).toEqual(['reappearance']);
    expect(alerts[0]!.epcs).toContain(packs[0]);
  });

  it('closes an unknown-serial alert when the brand owner commissions the serial late, with a note', () => {
    const late = pack(41);
    const messages = [
      ...stocked([pack(40)]),
      dispense(late, HAMBURG, 10),
      // Beyond ingest's wait: the dispensing is stored as flagged evidence and alerted; then the upload comes.
      message(
        [
          commissioningEvent({
            epcs: [late],
            at: party(MAKER),
            time: at(0.5),
            lot: 'L1',
            expiry: '2027-12-31',
          }),
        ],
        MAKER,
        80,
      ),
    ];
    const detector = new AnomalyDetector({ master: detectorMasterData(MASTER) });
    const pipeline = new InMemoryIngestPipeline({ master: MASTER, parkTimeoutSeconds: 3600 });
    const raw = messages.flatMap((m) => {
      const out = pipeline.process(m);
      return [
        ...out.deadLetters.flatMap((l) => detector.observeRejected(l)),
        ...(out.accepted.length > 0 ? detector.observeAccepted(out.accepted) : []),
      ];
    });
    expect(raw.map((a) => [a.kind, a.resolution !== undefined])).toEqual([
      ['unknown_serial', false],
      ['unknown_serial', true],
    ]);
    expect(raw[1]!.dedupeKey).toBe(raw[0]!.dedupeKey);
    expect(raw[1]!.resolution).toContain('commissioned by its brand owner');
    // What a person still sees: nothing.
    expect(detect(messages).alerts).toEqual([]);
  });

  it('raises one unknown-serial alert for a batch of fakes sold at one pharmacy in a day, and splits it when one is genuine', () => {
    const fakes = [pack(51), pack(52), pack(53)];
    const messages = [
      ...stocked([pack(50)]),
      dispense(fakes[0]!, HAMBURG, 10),
      dispense(fakes[1]!, HAMBURG, 12),
      dispense(fakes[2]!, HAMBURG, 15),
      // Another pharmacy's fake, and one at Hamburg three days later, are other incidents.
      dispense(pack(54), MUNICH, 11),
      dispense(pack(55), HAMBURG, 90),
    ];
    // What the inbox shows: the latest version of each alert (a growing incident is updated in place).
    const inbox = (alerts: AlertCandidate[]) => [...new Map(alerts.map((a) => [a.dedupeKey, a])).values()];
    const open = inbox(detect(messages).alerts);
    expect(open.map((a) => a.epcs)).toEqual([fakes, [pack(54)], [pack(55)]]);
    expect(open[0]!.dedupeKey).toBe(`unknown_serial:${fakes[0]}`);
    expect(open[0]!.summary).toContain('3 packs of GTIN');

    // The brand owner's late upload shows the middle one is genuine: the incident closes, the other two stay alerted.
    const upload = message(
      [
        commissioningEvent({
          epcs: [fakes[1]!],
          at: party(MAKER),
          time: at(0.5),
          lot: 'L1',
          expiry: '2027-12-31',
        }),
      ],
      MAKER,
      100,
    );
    const after = inbox(detect([...messages, upload]).alerts);
    expect(after.map((a) => a.epcs)).toEqual(
      expect.arrayContaining([[pack(54)], [pack(55)], [fakes[0], fakes[2]]]),
    );
    expect(after).toHaveLength(3);
    const rest = after.find((a) => a.epcs.length === 2)!;
    // Under a key of its own: the closed alert keeps the genuine pack, the new one does not.
    expect(rest.dedupeKey).toBe(`unknown_serial:${fakes[0]}+1`);
    expect(rest.orgIds).toContain('pharmacy-hh');
  });

  it('tells an unknown serial from a scan that lost its GS separator', () => {
    const fake = sgtinUrn(MAKER.companyPrefix, '12345', 'ZZZ99999');
    const misread = sgtinUrn(MAKER.companyPrefix, '12345', `${'S000002'}1727123110L1`);
    const { alerts, detector } = detect([
      ...stocked(packs),
      ...tote(1, packs, HAMBURG, 24, 2),
      dispense(fake, HAMBURG, 30),
      dispense(misread, HAMBURG, 31),
    ]);
    expect(kinds(alerts)).toEqual(['unknown_serial']);
    expect(alerts[0]!.epcs).toEqual([fake]);
    expect(detector.getStats().explainedAsScanError).toBe(1);
  });

  it('flags a dispensed pack that is sold again', () => {
    const { alerts } = detect([
      ...stocked(packs),
      ...tote(1, packs, HAMBURG, 24, 2),
      dispense(packs[0]!, HAMBURG, 30),
      dispense(packs[0]!, HAMBURG, 60),
    ]);
    expect(kinds(alerts)).toEqual(['reappearance']);
    expect(alerts[0]!.severity).toBe('critical');
  });

  it('flags a custody break: a tote shipped to Hamburg received in Munich', () => {
    const flow = tote(1, packs, HAMBURG, 24, 2);
    const sscc = ssccUrn(WHOLESALER.companyPrefix, 1);
    flow[2] = message(
      [receivingEvent({ epcs: [sscc], from: party(WHOLESALER), at: party(MUNICH), time: at(33) })],
      MUNICH,
      33.1,
    );
    const { alerts, stats } = detect([...stocked(packs), ...flow, dispense(packs[0]!, MUNICH, 40)]);
    expect(stats.deadLettersByCode.RULE_NOT_ADDRESSEE).toBe(1);
    expect(kinds(alerts)).toEqual(['custody_break']);
    expect(alerts[0]!.epcs).toEqual(expect.arrayContaining(packs));
  });

  it('raises one custody-break alert for a receipt of loose packs nobody shipped there, naming every pack', () => {
    // The wholesaler holds the packs loose (the case opened); Munich records receiving three of them, unshipped.
    const receipt = message(
      [receivingEvent({ epcs: packs.slice(0, 3), from: party(WHOLESALER), at: party(MUNICH), time: at(30) })],
      MUNICH,
      30.1,
    );
    const { alerts } = detect([...stocked(packs), receipt, dispense(packs[5]!, HAMBURG, 200)]);
    const breaks = alerts.filter((a) => a.kind === 'custody_break');
    expect(new Set(breaks.map((a) => a.dedupeKey)).size).toBe(1);
    expect(new Set(breaks[breaks.length - 1]!.epcs)).toEqual(new Set(packs.slice(0, 3)));
  });

  it('decides a suspicion in a history read after a few events from today, once the history has moved on', () => {
    // As the demo does: its own flow (today) is read first, then months of history in minutes. The suspicion's grace
    // period ran on the latest event time ever seen (today), so it waited 48 hours of wall clock.
    const receipt = message(
      [
        receivingEvent({
          epcs: packs.slice(0, 3),
          from: party(WHOLESALER),
          at: party(MUNICH),
          time: at(130),
        }),
      ],
      MUNICH,
      0,
    );
    const stream = [
      commissioned(900, 1, () => 998),
      commissioned(1_000, 1_000, (i) => i * 0.1),
      ...stocked(packs),
      receipt,
      commissioned(3_000, 20, (i) => 150 + i * 2),
      commissioned(4_000, 1, () => 300),
      commissioned(4_001, 1, () => 400),
    ];
    // Sent 36 s apart, the last two an hour and two on (ingest parks the receipt, then refuses it; the suspicion waits
    // 5 minutes of arrival time): arrival time moves in hours, event time in weeks (the grace period is 48 hours).
    const tail = stream.length - 2;
    const sent = stream.map((m, i) => ({
      ...m,
      sentAt: at(999 + i * 0.01 + Math.max(0, i - tail + 1)).toISOString(),
    }));
    expect(kinds(alertsBeforeFlush(sent))).toContain('custody_break');
  });

  it('decides a receipt refused after ingest’s wait, read once the history is over, after the arrival floor', () => {
    // The demo parks documents for 5 minutes: the refusal of a receipt from the history comes after the whole history,
    // when the stream is at today. The grace period ran from today, and the suspicion waited 48 hours.
    const receipt = message(
      [receivingEvent({ epcs: packs.slice(0, 3), from: party(WHOLESALER), at: party(MUNICH), time: at(30) })],
      MUNICH,
      0,
    );
    const history = [...stocked(packs), receipt];
    // Sent 36 s apart; today's flow right after (within the park wait), then an hour and two later (past the wait,
    // then past the suspicion's 5-minute floor).
    const today = [
      commissioned(900, 1, () => 998),
      commissioned(901, 1, () => 998.5),
      commissioned(902, 1, () => 998.7),
    ];
    const sent = [...history, ...today].map((m, i) => ({
      ...m,
      sentAt: at(999 + i * 0.01 + Math.max(0, i - history.length)).toISOString(),
    }));
    expect(kinds(alertsBeforeFlush(sent))).toContain('custody_break');
  });

  it('flags a copy packed at the wholesaler while the original is on a Hamburg shelf, before any sale', () => {
    // Ingest refuses the packing (the wholesaler does not hold the pack). Followed, the refused packing moved the pack
    // into the wholesaler's tote, and when the grace period ended the pack was "where the suspicion says": explained.
    const copy = message(
      [
        packingEvent({
          parent: ssccUrn(WHOLESALER.companyPrefix, 7),
          children: [packs[0]!],
          at: party(WHOLESALER),
          time: at(100),
        }),
      ],
      WHOLESALER,
      100.1,
    );
    const later = [200, 300, 400].map((hour, i) => ({
      ...commissioned(5_000 + i, 1, () => hour),
      sentAt: at(hour + 0.1).toISOString(),
    }));
    const alerts = alertsBeforeFlush([...stocked(packs), ...tote(1, packs, HAMBURG, 24, 2), copy, ...later]);
    expect(alerts.filter((a) => a.kind === 'cloned_serial').map((a) => a.epcs)).toEqual([[packs[0]]]);
  });

  it('does not judge a shipment read ahead of the weeks before it, and judges those that follow the history', () => {
    // The demo streams today's flow while 40 weeks of history are still being read: a shipment of today, read after
    // the history's first day, met a network that as far as the detector knew did not exist (no consumption known)
    // and read as a diversion.
    const six = Array.from({ length: 6 }, (_, i) => pack(i + 1));
    const readAhead = tote(1, six.slice(0, 3), HAMBURG, 80 * 24, 2);
    // The rest of the history (a month of it) read after, as a late upload.
    const history = [
      { ...commissioned(6_000, 30, (i) => 6 + i * 24), sentAt: at(81 * 24).toISOString() },
      ...tote(2, six.slice(3), HAMBURG, 28 * 24, 2).map((m, i) => ({
        ...m,
        sentAt: at(81 * 24 + 1 + i).toISOString(),
      })),
    ];
    const scored: string[] = [];
    detect([...stocked(six), ...readAhead, ...history], {
      onFeatures: (features) => scored.push(features.subject),
    });
    expect(scored).toEqual([ssccUrn(WHOLESALER.companyPrefix, 2)]);
  });

  it('flags a copy of a serial commissioned with another lot and expiry', () => {
    const copy = message(
      [
        commissioningEvent({
          epcs: [packs[2]!],
          at: party(MAKER),
          time: at(10),
          lot: 'FAKE',
          expiry: '2030-01-31',
        }),
      ],
      MAKER,
      10.1,
    );
    const { alerts } = detect([...stocked(packs), copy]);
    expect(kinds(alerts)).toEqual(['expiry_mismatch', 'lot_mismatch']);
    expect(alerts.every((a) => a.evidence.rules.includes('RULE_ALREADY_COMMISSIONED'))).toBe(true);
  });

  it('resumes from a checkpoint with the same results as an uninterrupted run', () => {
    const messages = [
      ...stocked(packs),
      ...tote(1, packs, HAMBURG, 24, 2),
      dispense(packs[1]!, MUNICH, 40),
      dispense(packs[1]!, HAMBURG, 50),
    ];
    const pipeline = new InMemoryIngestPipeline({ master: MASTER });
    const outputs: PipelineOutput[] = messages.map((m) => pipeline.process(m));
    outputs.push(pipeline.finish());
    const feed = (detector: AnomalyDetector, part: PipelineOutput[]) =>
      part.flatMap((o) => [
        ...o.deadLetters.flatMap((letter) => detector.observeRejected(letter)),
        ...(o.accepted.length > 0 ? detector.observeAccepted(o.accepted) : []),
      ]);
    const whole = new AnomalyDetector({ master: detectorMasterData(MASTER) });
    const expected = [...feed(whole, outputs), ...whole.flush()];
    expect(expected.map((a) => a.kind)).toEqual(['cloned_serial']);

    const first = new AnomalyDetector({ master: detectorMasterData(MASTER) });
    const half = outputs.length - 3;
    const before = feed(first, outputs.slice(0, half));
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<AnomalyDetector['snapshot']>;
    const resumed = AnomalyDetector.restore(snapshot, { master: detectorMasterData(MASTER) });
    const after = [...feed(resumed, outputs.slice(half)), ...resumed.flush()];
    expect([...before, ...after]).toEqual(expected);
  });

  it('judges a delivery addressed to a pharmacy’s party against what its shop dispenses', () => {
    // Deliveries name the pharmacy's party GLN; its dispensing names its shop's location GLN. Counted at two
    // sites, every delivery looked like months of stock nobody sells (the demo's false diversion alerts).
    const stock = Array.from({ length: 24 }, (_, i) => pack(200 + i));
    const first = stock.slice(0, 12);
    const second = stock.slice(12);
    const vectors: { subject: string; values: number[] }[] = [];
    detect(
      [
        ...stocked(stock),
        ...tote(1, first, HAMBURG, 24, 2),
        ...first.map((epc, i) => dispense(epc, HAMBURG, 30 + i * 24)),
        ...tote(2, second, HAMBURG, 30 + 12 * 24, 2),
      ],
      { warmupDays: 0, onFeatures: (r) => r.family === 'shipment' && vectors.push(r) },
    );
    const cover = SHIPMENT_FEATURES.indexOf('top_line_cover_days');
    const secondTote = vectors.find((v) => v.subject === ssccUrn(WHOLESALER.companyPrefix, 2));
    // About a pack a day sold: twelve packs cover about two weeks, log1p(12 / rate) ≈ 2.6, not log1p(12 / 0.1) ≈ 4.8.
    expect(secondTote?.values[cover]).toBeLessThan(Math.log1p(20));
    expect(secondTote?.values[cover]).toBeGreaterThan(Math.log1p(5));
  });

  /** A pharmacy's stock delivered in one tote, then `perWeek[w]` sales in week w, three hours apart from its 30th hour. */
  function weeklySales(perWeek: number[], firstPack: number) {
    const WEEK_HOURS = 7 * 24;
    const stock = Array.from({ length: perWeek.reduce((a, b) => a + b, 0) }, (_, i) => pack(firstPack + i));
    const sales: SimulatedMessage[] = [];
    let next = 0;
    perWeek.forEach((n, week) => {
      for (let i = 0; i < n; i++)
        sales.push(dispense(stock[next++]!, HAMBURG, week * WEEK_HOURS + 30 + i * 3));
    });
    return { stock, messages: [...stocked(stock), ...tote(1, stock, HAMBURG, 6, 2), ...sales] };
  }

  /** A stand-in pharmacy-week model that flags the weeks `flags` picks (the learned model sees the same features). */
  function weekScorer(
    flags: (value: (feature: (typeof PHARMACY_WEEK_FEATURES)[number]) => number) => boolean,
  ) {
    return {
      pharmacy_week: {
        family: 'pharmacy_week' as const,
        featureNames: PHARMACY_WEEK_FEATURES,
        score: (values: number[]) => ({
          score: flags((f) => values[PHARMACY_WEEK_FEATURES.indexOf(f)] ?? 0) ? 0.99 : 0.01,
          error: 0,
          contributions: values.map(() => 0),
        }),
      },
    };
  }

  it('reports a grey-market spike over two weeks as one alert holding both weeks’ packs', () => {
    // Two packs a week for five weeks, twenty a week for two, then two again. The stand-in scorer flags a week whose
    // total is three deviations above the pharmacy's usual (the learned model sees the same feature).
    const { stock, messages } = weeklySales([2, 2, 2, 2, 2, 20, 20, 2, 2, 2], 300);
    const { alerts } = detect(messages, { scorers: weekScorer((v) => v('dispensed_z') >= 3) });
    const spikes = alerts.filter((a) => a.kind === 'grey_market_spike');
    expect(new Set(spikes.map((a) => a.dedupeKey)).size).toBe(1);
    const last = spikes[spikes.length - 1]!;
    expect(new Set(last.epcs)).toEqual(new Set(stock.slice(10, 50)));
    expect(last.summary).toContain('in the weeks of 2025-04-07 to 2025-04-14');
    // Raised while the first week ran (its twenty sales fall in its first three days), restated once both closed.
    expect(spikes[0]!.summary).toContain(
      'is dispensing unusually in the week of 2025-04-07, which has not ended yet',
    );
    expect(Date.parse(spikes[0]!.observedAt)).toBe(Date.parse('2025-04-07T00:00:00Z'));
    expect(last.summary).toContain('dispensed unusually in the weeks of 2025-04-07 to 2025-04-14 (');
    // The week's closing restates the alert raised while it ran, with the packs of the days after the look.
    const firstClosed = spikes.findIndex((a) =>
      a.summary.includes('dispensed unusually in the week of 2025-04-07 ('),
    );
    expect(firstClosed).toBe(1);
    expect(spikes[firstClosed]!.epcs.length).toBeGreaterThan(spikes[0]!.epcs.length);
  });

  it('withdraws, with a note, a spike raised while its week ran that the whole week does not bear out', () => {
    // Two packs a week, then twenty in the first days of one week. The stand-in scorer flags a week three deviations
    // up only while it holds fewer than sixteen packs: the looks see it unusual, the ended week it finds ordinary.
    const { messages } = weeklySales([2, 2, 2, 2, 2, 20, 2, 2, 2, 2], 400);
    const detector = new AnomalyDetector({
      master: detectorMasterData(MASTER),
      scorers: weekScorer((v) => v('dispensed_z') >= 3 && v('log_dispensed') < Math.log1p(16)),
    });
    const raised: AlertCandidate[] = [];
    const observe = detector.observeAccepted.bind(detector);
    jest.spyOn(detector, 'observeAccepted').mockImplementation((...args) => {
      const out = observe(...args);
      raised.push(...out);
      return out;
    });
    const { alerts } = runThroughPipeline(bySent(messages), detector, { master: MASTER });
    const spikes = raised.filter((a) => a.kind === 'grey_market_spike');
    expect(spikes[0]?.summary).toContain('which has not ended yet');
    const withdrawn = spikes[spikes.length - 1]!;
    expect(withdrawn.dedupeKey).toBe(spikes[0]!.dedupeKey);
    expect(withdrawn.resolution).toContain('Closed by the evidence: the whole week of 2025-04-07');
    expect(alerts.filter((a) => a.kind === 'grey_market_spike')).toEqual([]);
  });

  it('keeps per-pack state bounded', () => {
    const many = Array.from({ length: 40 }, (_, i) => pack(100 + i));
    const { detector } = detect([...stocked(many)], { maxItems: 10 });
    const stats = detector.getStats();
    expect(stats.packsTracked + stats.containersTracked).toBeLessThanOrEqual(10);
    expect(stats.evictions).toBeGreaterThan(0);
  });
});

describe('AnomalyDetector: stranded stock', () => {
  const big = Array.from({ length: 20 }, (_, i) => pack(100 + i));
  const regular = Array.from({ length: 10 }, (_, i) => pack(200 + i));
  /** 20 packs to Hamburg on day 1, then five orders of 2 packs, each sold within the day, on days 3 to 7. */
  function flow(): SimulatedMessage[] {
    const messages = [...stocked([...big, ...regular]), ...tote(1, big, HAMBURG, 24, 2)];
    for (let i = 0; i < 5; i++) {
      const two = regular.slice(2 * i, 2 * i + 2);
      const day = 24 * (3 + i);
      messages.push(
        ...tote(2 + i, two, HAMBURG, day, 2),
        ...two.map((epc, j) => dispense(epc, HAMBURG, day + 4 + j)),
      );
    }
    return messages;
  }

  it('raises a diversion when a pharmacy sells and re-orders a product while a large delivery of it never moves', () => {
    const { alerts, stats } = detect(flow());
    expect(stats.deadLetters).toBe(0);
    expect(kinds(alerts)).toEqual(['diversion']);
    const [alert] = alerts;
    expect(alert!.dedupeKey).toBe(`diversion:${ssccUrn(WHOLESALER.companyPrefix, 1)}`);
    expect(alert!.epcs).toEqual(expect.arrayContaining(big));
    expect(alert!.epcs).not.toEqual(expect.arrayContaining([regular[0]]));
    expect(alert!.summary).toContain('20 packs of GTIN');
    expect(alert!.summary).toContain('received 10 more of the same product and dispensed 10 of those');
    expect(alert!.orgIds).toEqual(expect.arrayContaining(['pharmacy-hh']));
  });

  it('closes that alert itself when the packs turn out to be on the shelf', () => {
    const late = big.map((epc, i) => dispense(epc, HAMBURG, 24 * 9 + i));
    const detector = new AnomalyDetector({ master: detectorMasterData(MASTER) });
    const sorted = [...flow(), ...late].sort(
      (a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt) || a.seq - b.seq,
    );
    const pipeline = new InMemoryIngestPipeline({ master: MASTER });
    const raw: AlertCandidate[] = [];
    for (const m of sorted) raw.push(...detector.observeAccepted(pipeline.process(m).accepted));
    expect(raw.map((a) => [a.kind, a.resolution !== undefined])).toEqual([
      ['diversion', false],
      ['diversion', true],
    ]);
    expect(raw[1]!.resolution).toContain('had not left the monitored chain');
    // The flow without the late sales: the alert stays open.
    expect(detect(flow()).alerts).toHaveLength(1);
    expect(detect([...flow(), ...late]).alerts).toEqual([]);
  });
});

describe('AnomalyDetector (tiny simulated network)', () => {
  it('finds each injected hard pattern with the right kind and never alerts on packs without one', () => {
    const scenario = simulateNetwork(NETWORK_PRESETS.tiny, 42);
    const detector = new AnomalyDetector({ master: detectorMasterData(scenario.master) });
    const { alerts } = runThroughPipeline(scenario.messages, detector, { master: scenario.master });
    const labelled = new Set(scenario.labels.patterns.flatMap((l) => l.epcs));
    const alertedPacks = alerts.flatMap((a) => a.epcs.filter((e) => e.includes(':sgtin:')));
    expect(alertedPacks.filter((epc) => !labelled.has(epc))).toEqual([]);
    const expected: Record<string, string[]> = {
      cloned_serial: ['cloned_serial'],
      unknown_serial: ['unknown_serial'],
      reappearance: ['reappearance'],
      lot_expiry_mismatch: ['lot_mismatch', 'expiry_mismatch'],
      impossible_travel: ['impossible_travel'],
      custody_break: ['custody_break'],
    };
    for (const [pattern, alertKinds] of Object.entries(expected)) {
      const labels = scenario.labels.patterns.filter((l) => l.kind === pattern);
      expect(labels.length).toBeGreaterThan(0);
      const found = labels.filter((l) =>
        alerts.some((a) => alertKinds.includes(a.kind) && a.epcs.some((e) => l.epcs.includes(e))),
      );
      expect({ pattern, found: found.length }).toEqual({ pattern, found: labels.length });
    }
    // The benign noise was there and explained, not alerted.
    expect(detector.getStats().explainedAsScanError).toBeGreaterThan(0);
  });

  it('raises nothing on benign traffic with noise', () => {
    const scenario = simulateNetwork(benignConfig(NETWORK_PRESETS.tiny), 11);
    expect(scenario.labels.noise.length).toBeGreaterThan(20);
    const detector = new AnomalyDetector({ master: detectorMasterData(scenario.master) });
    const { alerts, stats } = runThroughPipeline(scenario.messages, detector, { master: scenario.master });
    // The noise was there (late and early uploads wait for their preconditions), and raised nothing.
    expect(stats.parkedDocuments).toBeGreaterThan(0);
    expect(alerts).toEqual([]);
  });
});

describe('AnomalyDetector: cold chain', () => {
  it('opens one alert per consignment on ingest’s temperature flag, naming the container and every pack in it', () => {
    const detector = new AnomalyDetector({ master: detectorMasterData(MASTER) });
    const case_ = ssccUrn(MAKER.companyPrefix, 77);
    const packs = [1, 2].map((i) => sgtinUrn(MAKER.companyPrefix, '12345', `COLD${i}`));
    const shipment = {
      eventHash: `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`,
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'shipping',
      eventTime: '2026-03-02T10:00:00.000Z',
      recordTime: '2026-03-02T10:00:05.000Z',
      readPoint: sglnUrn(MAKER.companyPrefix, 1),
      epcs: [case_],
      sourceParties: [],
      destinationParties: [sglnUrn(WHOLESALER.companyPrefix, 1)],
      quantities: [],
      publisherOrgId: 'maker',
      flags: [
        {
          code: 'RULE_TEMPERATURE_EXCURSION',
          detail: '14.5 °C recorded for GTIN 04000001123459, stored at 2–8 °C (2 packs)',
          epcs: [case_, ...packs],
        },
      ],
    };
    const alerts = [...detector.observeAccepted([shipment]), ...detector.observeAccepted([shipment])];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'temperature_excursion', severity: 'high', subject: case_ });
    expect(alerts[0]!.epcs).toEqual([case_, ...packs]);
    expect(alerts[0]!.summary).toMatch(/14.5 °C .* 2–8 °C/);
  });
});

describe('AnomalyDetector: commit order across partitions', () => {
  /** A benign, noise-free network's accepted events, in the order ingest stores them, with their Kafka keys. */
  function acceptedStream() {
    const config = benignConfig(NETWORK_PRESETS.tiny);
    const quiet = { lateUpload: 0, duplicateSend: 0, missingGsSeparator: 0, receiveBeforeShip: 0 };
    const scenario = simulateNetwork({ ...config, weeks: 10, noise: quiet }, 11);
    const pipeline = new InMemoryIngestPipeline({ master: scenario.master });
    const batches = scenario.messages.map((m) => ({ key: m.key, events: pipeline.process(m).accepted }));
    return { master: detectorMasterData(scenario.master), batches: batches.filter((b) => b.events.length) };
  }

  /** Shipment feature vectors the detector extracts (what the diversion scorer sees), by shipment. */
  function shipmentFeatures(
    master: DetectorMasterData,
    feed: (detector: AnomalyDetector) => void,
    reorder?: Partial<ReorderBufferOptions>,
  ): Map<string, string> {
    const features = new Map<string, string>();
    const detector = new AnomalyDetector({
      master,
      warmupDays: 0,
      ...(reorder ? { reorder } : {}),
      onFeatures: (record) => {
        if (record.family === 'shipment') features.set(record.subject, JSON.stringify(record.values));
      },
    });
    feed(detector);
    detector.flush();
    return features;
  }

  /**
   * A consumer reading three partitions in turns, each turn a run of the partition's messages of uneven length: the
   * partitions drift apart by days of event time, as in a replay or after a backlog.
   */
  function readSkewed(
    batches: { key: string; events: AcceptedEvent[] }[],
    detector: AnomalyDetector,
    runs: number[],
  ): void {
    const partitions: AcceptedEvent[][][] = [[], [], []];
    for (const batch of batches) partitions[hashOf(batch.key) % 3]!.push(batch.events);
    let now = 0;
    detector.expectSources(['events/0', 'events/1', 'events/2'], new Date(now));
    while (partitions.some((p) => p.length > 0))
      partitions.forEach((queue, p) => {
        for (const events of queue.splice(0, runs[p]!))
          detector.observeAccepted(events, { source: `events/${p}`, now: (now += 2) });
      });
  }

  it('learns the same receiver and route habits however the consumer interleaves the partitions', () => {
    const { master, batches } = acceptedStream();
    const inOrder = shipmentFeatures(master, (d) => batches.forEach((b) => d.observeAccepted(b.events)));
    const skews = [
      [60, 5, 25],
      [1, 1, 1],
      [5, 80, 1],
    ];
    const reordered = skews.map((runs) => shipmentFeatures(master, (d) => readSkewed(batches, d, runs)));
    const unordered = skews.map((runs) =>
      shipmentFeatures(master, (d) => readSkewed(batches, d, runs), { maxHoldMs: 0, idleMs: 0 }),
    );
    const differing = (a: Map<string, string>, b: Map<string, string>) =>
      [...a].filter(([subject, values]) => b.get(subject) !== values).length;
    expect(inOrder.size).toBeGreaterThan(100);
    // Read as it comes, most shipments look different from what the stream in order shows.
    for (const run of unordered) expect(differing(inOrder, run)).toBeGreaterThan(inOrder.size / 2);
    // Merged by when ingest stored each event, they are those of the stream as ingest wrote it, however read.
    for (const run of reordered) {
      expect(run.size).toBe(inOrder.size);
      expect(differing(inOrder, run)).toBe(0);
    }
  });
});

function hashOf(key: string): number {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}
