import { createDocumentContext } from '../model/epcis-document-context';
import { masterDataOf } from '../model/master-data';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { isEpcisValidationError } from '../validation/epcis-validation.error';
import { createEpcisValidator } from '../validation/epcis-validator';
import { loadEpcisSchema } from '../validation/testing/epcis-conformance.fixtures';
import { parseEpcisXml } from './epcis-xml.reader';
import { type EpcisXmlPart, splitEpcisXml } from './epcis-xml.splitter';

/** EPCISMasterDataDocument roots (EPCIS 2.0 and 1.2) read by the XML reader and the splitter. */
const validator = createEpcisValidator({ schema: loadEpcisSchema() });

const NAMESPACES = {
  '2.0': 'urn:epcglobal:epcis-masterdata:xsd:2',
  '1.2': 'urn:epcglobal:epcis-masterdata:xsd:1',
} as const;

function masterDataXml(body: string, generation: keyof typeof NAMESPACES = '2.0', header = ''): string {
  return (
    `<?xml version="1.0"?>\n<epcismd:EPCISMasterDataDocument xmlns:epcismd="${NAMESPACES[generation]}" ` +
    `xmlns:ex="https://example.com/ns/" schemaVersion="${generation}" creationDate="2026-01-01T00:00:00Z">\n` +
    `${header}<EPCISBody>${body}</EPCISBody></epcismd:EPCISMasterDataDocument>\n`
  );
}

const PRODUCT =
  '<Vocabulary type="urn:epcglobal:epcis:vtype:EPCClass"><VocabularyElementList>' +
  '<VocabularyElement id="urn:epc:idpat:sgtin:4012345.012345.*">' +
  '<attribute id="urn:epcglobal:cbv:mda:regulatedProductName">Amoxicillin</attribute>' +
  '</VocabularyElement></VocabularyElementList></Vocabulary>';

function refusal(xml: string) {
  try {
    parseEpcisXml(xml);
  } catch (error) {
    if (isEpcisValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('EPCIS XML master data documents', () => {
  it.each(['2.0', '1.2'] as const)(
    'reads an EPCIS %s master data document into the JSON shape',
    (generation) => {
      const parsed = parseEpcisXml(masterDataXml(`<VocabularyList>${PRODUCT}</VocabularyList>`, generation));
      expect([parsed.generation, parsed.documentType, parsed.eventCount]).toEqual([
        generation,
        'EPCISMasterDataDocument',
        0,
      ]);
      expect(parsed.value).toMatchObject({
        type: 'EPCISMasterDataDocument',
        schemaVersion: '2.0',
        creationDate: '2026-01-01T00:00:00Z',
        epcisBody: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:EPCClass',
              vocabularyElementList: [
                {
                  id: 'urn:epc:idpat:sgtin:4012345.012345.*',
                  attributes: [
                    { id: 'urn:epcglobal:cbv:mda:regulatedProductName', attribute: 'Amoxicillin' },
                  ],
                },
              ],
            },
          ],
        },
      });
      expect(validator.validate(parsed.value)).toEqual({ valid: true, errors: [] });
    },
  );

  it('keeps master data of the header too, header first, and the body extensions', () => {
    const header =
      '<EPCISHeader><extension><EPCISMasterData><VocabularyList>' +
      '<Vocabulary type="urn:epcglobal:epcis:vtype:Location"><VocabularyElementList>' +
      '<VocabularyElement id="urn:epc:id:sgln:4012345.00001.0"/></VocabularyElementList></Vocabulary>' +
      '</VocabularyList></EPCISMasterData></extension></EPCISHeader>';
    const parsed = parseEpcisXml(
      masterDataXml(`<VocabularyList>${PRODUCT}</VocabularyList><ex:batch>7</ex:batch>`, '2.0', header),
    );
    expect(validator.validate(parsed.value)).toEqual({ valid: true, errors: [] });
    const elements = masterDataOf(parsed.value, createDocumentContext(parsed.value));
    expect(elements.map((e) => e.id)).toEqual([
      'urn:epc:id:sgln:4012345.00001.0',
      'urn:epc:idpat:sgtin:4012345.012345.*',
    ]);
    expect(parsed.value.epcisBody).toMatchObject({ 'ns1:batch': '7' });
  });

  it('reads a body without a VocabularyList (the XSD allows it) as an empty list', () => {
    const parsed = parseEpcisXml(masterDataXml(''));
    expect(parsed.value.epcisBody).toEqual({ vocabularyList: [] });
    expect(validator.validate(parsed.value).valid).toBe(true);
  });

  it('refuses a vocabulary element without an id, naming it by JSON pointer', () => {
    const parsed = parseEpcisXml(
      masterDataXml(
        '<VocabularyList><Vocabulary type="urn:epcglobal:epcis:vtype:EPCClass"><VocabularyElementList>' +
          '<VocabularyElement><attribute id="urn:epcglobal:cbv:mda:regulatedProductName">X</attribute>' +
          '</VocabularyElement></VocabularyElementList></Vocabulary></VocabularyList>',
        '1.2',
      ),
    );
    const result = validator.validate(parsed.value);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: EpcisIssueCode.MASTER_DATA,
        field: '/epcisBody/vocabularyList/0/vocabularyElementList/0/id',
        message: expect.stringMatching(/^urn:epcglobal:epcis:vtype:EPCClass element 0 has no id: /),
      }),
    ]);
  });

  it('refuses events in a master data document, naming the element and its line', () => {
    const error = refusal(masterDataXml('<EventList><ObjectEvent/></EventList>', '1.2'));
    expect(error).toMatchObject({ code: EpcisIssueCode.MASTER_DATA, field: '/epcisBody' });
    expect(error.message).toMatch(/holds <EventList> \(at line 3\).*EPCISDocument/);
  });

  it('refuses another root of the master data namespace, naming it', () => {
    const error = refusal(
      `<epcismd:EPCISDocument xmlns:epcismd="${NAMESPACES['2.0']}"><EPCISBody/></epcismd:EPCISDocument>`,
    );
    expect(error.code).toBe(EpcisIssueCode.DOCUMENT_TYPE);
    expect(error.message).toContain(`not {${NAMESPACES['2.0']}}EPCISDocument`);
  });
});

describe('splitEpcisXml on documents without events', () => {
  async function parts(xml: string): Promise<EpcisXmlPart[]> {
    const found: EpcisXmlPart[] = [];
    const chunks = xml.match(/[\s\S]{1,29}/g) ?? [];
    for await (const part of splitEpcisXml(chunks, 10)) found.push(part);
    return found;
  }

  it('sends a master data document whole, as one part', async () => {
    const xml = masterDataXml(`<VocabularyList>${PRODUCT}</VocabularyList>`);
    expect(await parts(xml)).toEqual([{ xml, eventCount: 0, firstEvent: 0 }]);
  });

  it('sends an EPCISDocument with master data and no events whole (it used to send nothing)', async () => {
    const xml =
      '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" ' +
      'creationDate="2026-01-01T00:00:00Z"><EPCISBody><EventList></EventList></EPCISBody></epcis:EPCISDocument>';
    expect(await parts(xml)).toEqual([{ xml, eventCount: 0, firstEvent: 0 }]);
  });

  it('does not read an event list inside a master data body as events', async () => {
    const xml = masterDataXml('<EventList><ObjectEvent/></EventList>');
    expect((await parts(xml)).map((p) => p.eventCount)).toEqual([0]);
  });
});
