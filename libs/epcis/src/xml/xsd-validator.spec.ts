import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { CONFORMANCE_DIR } from '../validation/testing/epcis-conformance.fixtures';
import { parseEpcisXml } from './epcis-xml.reader';
import { EPCIS_MASTER_DATA_XSD_FILE, EpcisXsdValidator } from './xsd-validator';

/** The official EPCIS 2.0 XSDs (events, master data), read in place, through libxml2 in a worker thread. */
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

  it('checks a master data document against the master data XSD, naming the rule and the line', async () => {
    expect(validator.checksMasterData).toBe(true);
    const xml = readFileSync(join(examples, 'Mimasu_Example-masterData.xml'), 'utf8');
    expect(await validator.validate(Buffer.from(xml))).toEqual([]);
    const withoutId = xml.replace(
      '<VocabularyElement id="urn:epc:id:sgln:0037000.00729.8201">',
      '<VocabularyElement>',
    );
    const issues = await validator.validate(Buffer.from(withoutId));
    expect(issues[0]).toMatchObject({ code: EpcisIssueCode.XML_SCHEMA, field: '' });
    expect(issues[0].message).toMatch(/at line 29: Element 'VocabularyElement'.*'id' is required/);
  });

  it('leaves master data documents unchecked where the folder has no master data XSD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epcis-xsd-'));
    const xsd = join(CONFORMANCE_DIR, 'epcis-xml', 'xsd');
    for (const file of readdirSync(xsd).filter((f) => f !== EPCIS_MASTER_DATA_XSD_FILE)) {
      copyFileSync(join(xsd, file), join(dir, file));
    }
    const partial = new EpcisXsdValidator(dir);
    try {
      expect(partial.checksMasterData).toBe(false);
      const xml = readFileSync(join(examples, 'Mimasu_Example-masterData.xml'), 'utf8');
      expect(await partial.validate(Buffer.from(xml.replace(/ id="[^"]*"/, '')))).toEqual([]);
    } finally {
      await partial.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which folder lacks the schema', () => {
    expect(() => new EpcisXsdValidator('/nonexistent')).toThrow(/EPCIS_XSD_DIR: no EPCglobal-epcis-2_0\.xsd/);
  });
});
