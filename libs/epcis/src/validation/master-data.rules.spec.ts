import { EPCIS_CONTEXT_URLS } from '../model/epcis-document.model';
import { EpcisIssueCode } from './epcis-issue.types';
import { createEpcisValidator } from './epcis-validator';
import { type MutableJson, loadEpcisSchema } from './testing/epcis-conformance.fixtures';

/** An EPCISMasterDataDocument in JSON: the shape, and the master data rules (shared with document headers). */
const validator = createEpcisValidator({ schema: loadEpcisSchema() });

function masterDataDocument(): MutableJson {
  return {
    '@context': [EPCIS_CONTEXT_URLS[0], { ex: 'https://example.com/md/' }],
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
                { id: 'cbvmda:regulatedProductName', attribute: 'Amoxicillin' },
                { id: 'cbvmda:strengthDescription', attribute: '500 mg' },
              ],
            },
          ],
        },
        {
          type: 'urn:epcglobal:epcis:vtype:Location',
          vocabularyElementList: [
            { id: 'urn:epc:id:sgln:4012345.00001.0', children: ['urn:epc:id:sgln:4012345.00001.7'] },
          ],
        },
      ],
    },
  };
}

const ELEMENT = '/epcisBody/vocabularyList/0/vocabularyElementList/0';

describe('EPCISMasterDataDocument (JSON)', () => {
  it('accepts master data on its own, with body extensions', () => {
    const document = masterDataDocument();
    document.epcisBody['ex:batch'] = '7';
    expect(validator.validate(document)).toEqual({ valid: true, errors: [] });
  });

  it('keeps a vocabulary type it does not know, when it is a URI (EPCIS lets users define vocabularies)', () => {
    const document = masterDataDocument();
    document.epcisBody.vocabularyList.push({
      type: 'https://example.com/vtype/ColdChainProfile',
      vocabularyElementList: [{ id: 'https://example.com/profile/2-8C' }],
    });
    expect(validator.validate(document).valid).toBe(true);
  });

  it('refuses a vocabulary element without an id, naming the vocabulary, the element and the field', () => {
    const document = masterDataDocument();
    delete document.epcisBody.vocabularyList[0].vocabularyElementList[0].id;
    expect(validator.validate(document).errors).toEqual([
      {
        code: EpcisIssueCode.MASTER_DATA,
        field: `${ELEMENT}/id`,
        message: expect.stringMatching(
          /^urn:epcglobal:epcis:vtype:EPCClass element 0 has no id: a vocabulary element names what it describes/,
        ),
      },
    ]);
  });

  it('refuses a vocabulary type that is not a URI, and suggests the standard one', () => {
    const document = masterDataDocument();
    document.epcisBody.vocabularyList[1].type = 'Location';
    const [issue] = validator.validate(document).errors;
    expect(issue).toMatchObject({
      code: EpcisIssueCode.MASTER_DATA,
      field: '/epcisBody/vocabularyList/1/type',
      value: '"Location"',
    });
    expect(issue!.message).toContain('Did you mean urn:epcglobal:epcis:vtype:Location?');
  });

  it('refuses an attribute without an id and a child that is no identifier, each by its own pointer', () => {
    const document = masterDataDocument();
    document.epcisBody.vocabularyList[0].vocabularyElementList[0].attributes[1] = { attribute: '500 mg' };
    document.epcisBody.vocabularyList[1].vocabularyElementList[0].children = ['shelf 7'];
    const errors = validator.validate(document).errors;
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.MASTER_DATA, `${ELEMENT}/attributes/1/id`],
      [EpcisIssueCode.MASTER_DATA, '/epcisBody/vocabularyList/1/vocabularyElementList/0/children/0'],
    ]);
    expect(errors[0]!.message).toMatch(/^attribute 1 of urn:epc:idpat:sgtin:4012345\.012345\.\* has no id/);
  });

  it('refuses a body without a vocabulary list, and events in a master data document', () => {
    const document = masterDataDocument();
    document.epcisBody = { eventList: [] };
    const fields = validator.validate(document).errors.map((e) => [e.code, e.field]);
    expect(fields).toEqual(
      expect.arrayContaining([
        [EpcisIssueCode.SCHEMA, '/epcisBody/vocabularyList'],
        [EpcisIssueCode.SCHEMA, '/epcisBody/eventList'],
      ]),
    );
  });

  it('holds the envelope to the rules of an EPCISDocument: @context, schemaVersion, creationDate', () => {
    const document = masterDataDocument();
    delete document['@context'];
    document.schemaVersion = '1.2';
    document.creationDate = 'yesterday';
    const codes = validator.validate(document).errors.map((e) => e.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        EpcisIssueCode.MISSING_CONTEXT,
        EpcisIssueCode.UNSUPPORTED_VERSION,
        EpcisIssueCode.INVALID_TIME,
      ]),
    );
  });

  it('applies the same rules to master data in an EPCISDocument header', () => {
    const document = masterDataDocument();
    delete document.epcisBody.vocabularyList[0].vocabularyElementList[0].id;
    const header = {
      '@context': document['@context'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-01-01T00:00:00Z',
      epcisHeader: { epcisMasterData: { vocabularyList: document.epcisBody.vocabularyList } },
      epcisBody: { eventList: [] },
    };
    expect(validator.validate(header).errors).toEqual([
      expect.objectContaining({
        code: EpcisIssueCode.MASTER_DATA,
        field: '/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0/id',
      }),
    ]);
  });
});
