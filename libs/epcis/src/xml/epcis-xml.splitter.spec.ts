import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventHashesOfDocument } from '../hash/event-hash';
import { getEventList } from '../model/epcis-document-context';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { CONFORMANCE_DIR } from '../validation/testing/epcis-conformance.fixtures';
import { parseEpcisXml } from './epcis-xml.reader';
import { type EpcisXmlPart, splitEpcisXml } from './epcis-xml.splitter';

function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function split(text: string, maxEvents: number, chunk = 37): Promise<EpcisXmlPart[]> {
  const parts: EpcisXmlPart[] = [];
  for await (const part of splitEpcisXml(pieces(text, chunk), maxEvents)) parts.push(part);
  return parts;
}

const files: [string, string][] = [
  [
    'epcisDocWithVariousEventTypes.xml',
    join(CONFORMANCE_DIR, 'event-hash-xml', 'epcisDocWithVariousEventTypes.xml'),
  ],
  [
    'WithSensorData_SensorDataExamples.xml',
    join(CONFORMANCE_DIR, 'epcis-xml', 'examples', 'WithSensorData_SensorDataExamples.xml'),
  ],
  ['dscsa-epcis-1.2.xml', join(__dirname, 'testing', 'dscsa-epcis-1.2.xml')],
];

describe('splitEpcisXml', () => {
  it.each(files)(
    '%s: parts of 1, 2 and 5 events hold every event, each with the same Event Hash ID',
    async (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const whole = parseEpcisXml(text);
      const wholeHashes = eventHashesOfDocument(whole.value);
      for (const size of [1, 2, 5]) {
        const parts = await split(text, size);
        expect(parts.map((p) => p.eventCount).reduce((a, b) => a + b, 0)).toBe(whole.eventCount);
        expect(parts.every((p) => p.eventCount <= size)).toBe(true);
        const hashes: string[] = [];
        for (const part of parts) {
          const parsed = parseEpcisXml(part.xml);
          expect(parsed.eventCount).toBe(part.eventCount);
          expect(parsed.value.epcisHeader).toEqual(whole.value.epcisHeader);
          hashes.push(...eventHashesOfDocument(parsed.value));
        }
        expect(hashes).toEqual(wholeHashes);
        expect(parts.map((p) => p.firstEvent)).toEqual(parts.map((_, i) => i * size));
      }
    },
  );

  it('keeps the 1.2 EventList/extension wrapper of a TransformationEvent', async () => {
    const parts = await split(readFileSync(files[2][1], 'utf8'), 10);
    const events = getEventList(parseEpcisXml(parts[0].xml).value) as { type: string }[];
    expect(events.map((e) => e.type).at(-1)).toBe('TransformationEvent');
  });

  it('cuts a 20,000-event stream into 20 parts of 1,000, none larger than its events and the prologue', async () => {
    const head =
      '<?xml version="1.0"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList>';
    const event = (i: number) =>
      `<ObjectEvent><eventTime>2026-01-01T00:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>urn:epc:id:sgtin:4012345.012345.${i}</epc></epcList><action>OBSERVE</action></ObjectEvent>`;
    function* stream() {
      yield head;
      for (let i = 0; i < 20_000; i++) yield event(i);
      yield '</EventList></EPCISBody></epcis:EPCISDocument>';
    }
    let parts = 0;
    let largest = 0;
    for await (const part of splitEpcisXml(stream(), 1_000)) {
      parts++;
      largest = Math.max(largest, part.xml.length);
    }
    expect(parts).toBe(20);
    expect(largest).toBeLessThan(head.length + 1_000 * (event(19_999).length + 1) + 100);
  });

  it('refuses what the reader refuses', async () => {
    const bad =
      '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody><EventList><x:Y xmlns:x="u"/></EventList></EPCISBody></epcis:EPCISDocument>';
    await expect(split(bad, 5)).rejects.toMatchObject({ code: EpcisIssueCode.EVENT_RULE });
    await expect(
      split('<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody></EventList>', 5),
    ).rejects.toMatchObject({ code: EpcisIssueCode.MALFORMED_XML });
  });
});
