import { distanceKm, impossibleLeg } from '@pedigree/ml';
import {
  cbvAttribute,
  createDocumentContext,
  createEpcisValidator,
  excursionOf,
  masterDataOf,
  parseEpcisXml,
  storageRangeOf,
  temperatureReadings,
} from '@pedigree/epcis';
import { loadEpcisSchema } from '../../libs/epcis/src/validation/testing/epcis-conformance.fixtures';
import { buildDemoScenario, DEMO_ORGANISATIONS, masterDataXml } from './demo-scenario';

interface Event {
  eventTime: string;
  bizStep?: string;
  epcList?: string[];
  bizLocation?: { id: string };
  readPoint?: { id: string };
}

/** The demo's own flow is benign: none of its deliveries may look impossible to the travel detector. */
describe('demo scenario', () => {
  it('delivers every consignment in a time a truck can drive', () => {
    const siteOf = new Map(DEMO_ORGANISATIONS.map((o) => [o.party.site, o] as const));
    const shipped = new Map<string, { at: number; from: (typeof DEMO_ORGANISATIONS)[number] }>();
    let legs = 0;
    for (const message of buildDemoScenario({ runId: 7 })) {
      const events = (message.document.epcisBody as { eventList: Event[] }).eventList;
      for (const event of events) {
        const org = siteOf.get(event.bizLocation?.id ?? event.readPoint?.id ?? '');
        for (const epc of event.epcList ?? []) {
          if (event.bizStep?.endsWith('shipping') && org)
            shipped.set(epc, { at: Date.parse(event.eventTime), from: org });
          const leg = shipped.get(epc);
          if (event.bizStep?.endsWith('receiving') && leg && org) {
            legs++;
            const km = distanceKm(
              { lat: leg.from.latitude, lon: leg.from.longitude },
              { lat: org.latitude, lon: org.longitude },
            );
            expect({ epc, verdict: impossibleLeg(km, leg.at, Date.parse(event.eventTime)) }).toEqual({
              epc,
              verdict: undefined,
            });
          }
        }
      }
    }
    expect(legs).toBeGreaterThan(10);
  });
});

describe('demo master data', () => {
  it("is a valid EPCIS 1.2 document naming each manufacturer's products and site", () => {
    const validator = createEpcisValidator({ schema: loadEpcisSchema() });
    const maker = DEMO_ORGANISATIONS.find((o) => o.name === 'Rhenus Pharma AG')!;
    const parsed = parseEpcisXml(masterDataXml(maker));
    expect(parsed).toMatchObject({ generation: '1.2', eventCount: 0 });
    expect(validator.validate(parsed.value)).toEqual({ valid: true, errors: [] });
    const elements = masterDataOf(parsed.value, createDocumentContext(parsed.value));
    expect(elements.map((e) => e.id)).toEqual([
      'urn:epc:idpat:sgtin:4012345.012345.*',
      'urn:epc:idpat:sgtin:4012345.023456.*',
      maker.party.site,
    ]);
    expect(cbvAttribute(elements[0]!.attributes, 'regulatedProductName')).toBe('Amoxicillin');
  });
});

describe('demo cold chain', () => {
  it('states the insulin’s storage range and logs its shipments within it, but for the one injected excursion', () => {
    const nordic = DEMO_ORGANISATIONS.find((o) => o.name === 'Nordic Generics A/S')!;
    const parsed = parseEpcisXml(masterDataXml(nordic));
    const insulin = masterDataOf(parsed.value, createDocumentContext(parsed.value)).find((e) =>
      e.id.includes('.034567.'),
    )!;
    const range = storageRangeOf(insulin.attributes)!;
    expect(range).toEqual({ minC: 2, maxC: 8 });

    const scenario = buildDemoScenario({ runId: 7, coldChainExcursion: true });
    const logged = scenario.flatMap((m) =>
      (m.document.epcisBody as { eventList: Record<string, unknown>[] }).eventList
        .map((event) => temperatureReadings(event))
        .filter((readings) => readings.length > 0)
        .map((readings) => ({ message: m, excursion: excursionOf(readings, range) })),
    );
    expect(logged.length).toBeGreaterThan(4);
    const warm = logged.filter((l) => l.excursion);
    expect(warm).toHaveLength(1);
    expect(warm[0]!.excursion!.highestC).toBe(13.8);
    expect(warm[0]!.message.warmPack).toMatch(/^urn:epc:id:sgtin:5790001\.034567\./);
    expect(scenario.filter((m) => m.warmPack)).toHaveLength(1);
    expect(buildDemoScenario({ runId: 8 }).some((m) => m.warmPack)).toBe(false);
  });
});
