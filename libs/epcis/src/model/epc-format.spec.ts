import { computeEventHash } from '../hash/event-hash';
import { example } from '../validation/testing/epcis-conformance.fixtures';
import { translateEventIdentifiers } from './epc-format';

describe('translateEventIdentifiers', () => {
  it('passes every identifier field through the translation, and the Event Hash ID stays', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    const event = doc.epcisBody.eventList[1] as Record<string, unknown>;
    const seen: string[] = [];
    const translated = translateEventIdentifiers(event, (id) => {
      seen.push(id);
      return id;
    });
    expect(seen).toEqual(
      expect.arrayContaining([...(event.epcList as string[]), (event.readPoint as { id: string }).id]),
    );
    expect(translated).toEqual(event);
    expect(translated).not.toBe(event);
  });

  it('writes EPC URNs as Digital Links without changing the hash', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    const event = doc.epcisBody.eventList[0] as Record<string, unknown>;
    const links: Record<string, string> = {
      'urn:epc:id:sgtin:0614141.107346.2017': 'https://id.gs1.org/01/10614141073464/21/2017',
      'urn:epc:id:sgtin:0614141.107346.2018': 'https://id.gs1.org/01/10614141073464/21/2018',
    };
    const translated = translateEventIdentifiers(event, (id) => links[id] ?? id);
    expect(translated.epcList).toEqual(Object.values(links));
    expect(computeEventHash(translated, doc['@context'])).toBe(computeEventHash(event, doc['@context']));
  });
});
