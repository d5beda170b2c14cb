import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { CONFORMANCE_DIR } from '../validation/testing/epcis-conformance.fixtures';
import { parseEpcisXml } from './epcis-xml.reader';
import { EpcisXsdValidator } from './xsd-validator';

/** The official EPCIS 2.0 XSD, read in place, through libxml2 in a worker thread. */
describe('EpcisXsdValidator', () => {
  const examples = join(CONFORMANCE_DIR, 'epcis-xml', 'examples');
  const validator = new EpcisXsdValidator(join(CONFORMANCE_DIR, 'epcis-xml', 'xsd'));
  afterAll(() => validator.close());

  const documents = readdirSync(examples).filter(
    (f) => f.endsWith('.xml') && readFileSync(join(examples, f), 'utf8').includes('epcis:EPCISDocument'),
  );

  it('accepts every official EPCIS 2.0 example document', async () => {
    expect(documents.length).toBeGreaterThanOrEqual(25);
    for (const file of documents) {
      expect([file, await validator.validate(readFileSync(join(examples, file)))]).toEqual([file, []]);
    }
  });

  it('refuses what the schema forbids, naming the rule, the line and the event', async () => {
    const xml = readFileSync(join(examples, 'Example_9.6.1-ObjectEvent-2020_06_18a.xml'), 'utf8')
      .split('<action>OBSERVE</action>')
      .join('<action>SHIP</action>');
    const { eventLines } = parseEpcisXml(xml);
    const issues = await validator.validate(Buffer.from(xml), eventLines);
    expect(issues[0]).toMatchObject({
      code: EpcisIssueCode.XML_SCHEMA,
      field: '/epcisBody/eventList/0',
      eventIndex: 0,
    });
    expect(issues[0].message).toMatch(/at line 17: Element 'action'.*'SHIP'/);
    expect(issues.map((i) => i.eventIndex)).toEqual([0, 1]);
  });

  it('refuses standard fields out of the order the schema fixes', async () => {
    const xml = readFileSync(join(examples, 'Example_9.6.1-ObjectEvent-2020_06_18a.xml'), 'utf8').replace(
      /(<eventTime>[^<]*<\/eventTime>)(\s*)(<eventTimeZoneOffset>[^<]*<\/eventTimeZoneOffset>)/,
      '$3$2$1',
    );
    const issues = await validator.validate(Buffer.from(xml));
    expect(issues[0].message).toContain('eventTimeZoneOffset');
  });

  it('says which folder lacks the schema', () => {
    expect(() => new EpcisXsdValidator('/nonexistent')).toThrow(/EPCIS_XSD_DIR: no EPCglobal-epcis-2_0\.xsd/);
  });
});
