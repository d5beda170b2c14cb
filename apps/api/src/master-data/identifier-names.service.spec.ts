import type { Principal } from '../auth/principal';
import { IdentifierNamesService } from './identifier-names.service';
import type { MasterDataRepository, NamingStatement, RegisteredGln } from './master-data.repository';

const mda = (local: string) => `urn:epcglobal:cbv:mda#${local}`;
const at = new Date('2026-01-01T00:00:00Z');

function statement(
  id: string,
  organisationId: string,
  authoritative: boolean,
  attributes: Record<string, string>,
): NamingStatement {
  return {
    id,
    organisationId,
    authoritative,
    attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [mda(k), v])),
    updatedAt: at,
  };
}

/** A repository holding these rows; like the SQL, it hands out owners' statements and the reader's own only. */
function repositoryOf(statements: NamingStatement[], registered: RegisteredGln[] = []) {
  const calls: { ids: string[]; glns: string[]; reader: string | undefined }[] = [];
  const repository = {
    naming(ids: string[], glns: string[], reader: string | undefined) {
      calls.push({ ids, glns, reader });
      return Promise.resolve({
        statements: statements.filter(
          (s) => ids.includes(s.id) && (s.authoritative || s.organisationId === reader),
        ),
        registered: registered.filter((r) => glns.includes(r.gln)),
      });
    },
  };
  return { repository: repository as unknown as MasterDataRepository, calls };
}

const member = (organisationId: string): Principal => ({
  role: 'dispenser',
  organisationId,
  companyPrefixes: [],
  glns: [],
});
const admin: Principal = { role: 'admin', companyPrefixes: [], glns: [] };

const productClass = 'urn:epc:idpat:sgtin:4012345.012345.*';
const pharmacySite = 'urn:epc:id:sgln:4260001.00000.0';

describe('IdentifierNamesService', () => {
  it('names every spelling of a product and a place in one lookup per response', async () => {
    const { repository, calls } = repositoryOf([
      statement(productClass, 'maker', true, {
        regulatedProductName: 'Amoxicillin',
        strengthDescription: '500 mg',
      }),
      statement(pharmacySite, 'pharmacy', true, { name: 'Apotheke am Markt' }),
    ]);
    const names = await new IdentifierNamesService(repository).namesOf(
      [
        '04012345123456',
        'urn:epc:id:sgtin:4012345.012345.1001',
        'urn:epc:id:sgtin:4012345.012345.1002',
        '4260001000003',
        'urn:epc:id:pgln:4260001.00000',
        'urn:epc:id:sscc:4012345.0000000001',
        null,
      ],
      member('wholesaler'),
    );
    expect(calls).toHaveLength(1);
    expect(names['04012345123456']).toEqual({
      kind: 'product',
      label: 'Amoxicillin 500 mg',
      name: 'Amoxicillin',
      strength: '500 mg',
      gtin: '04012345123456',
      source: 'owner',
    });
    expect(names['urn:epc:id:sgtin:4012345.012345.1002']?.label).toBe('Amoxicillin 500 mg');
    expect(names['4260001000003']).toMatchObject({ label: 'Apotheke am Markt', gln: '4260001000003' });
    expect(names['urn:epc:id:pgln:4260001.00000']?.label).toBe('Apotheke am Markt');
    expect(Object.keys(names)).not.toContain('urn:epc:id:sscc:4012345.0000000001');
  });

  it('answers from its cache for a minute, per reader', async () => {
    const { repository, calls } = repositoryOf([
      statement(productClass, 'maker', true, { regulatedProductName: 'Amoxicillin' }),
    ]);
    const service = new IdentifierNamesService(repository);
    await service.namesOf(['04012345123456', '04012345123463'], member('pharmacy'));
    const again = await service.namesOf(['04012345123456', '04012345123463'], member('pharmacy'));
    expect(again['04012345123456']?.label).toBe('Amoxicillin');
    expect(calls).toHaveLength(1);
    await service.namesOf(['04012345123456'], member('wholesaler'));
    expect(calls).toHaveLength(2);
  });

  it('shows a member its own view when the owner said nothing, and never another member’s', async () => {
    const { repository, calls } = repositoryOf([
      statement(pharmacySite, 'wholesaler', false, { name: 'Markt-Apotheke (our name)' }),
    ]);
    const service = new IdentifierNamesService(repository);
    expect((await service.namesOf([pharmacySite], member('wholesaler')))[pharmacySite]).toMatchObject({
      label: 'Markt-Apotheke (our name)',
      source: 'own',
    });
    expect(await service.namesOf([pharmacySite], member('maker'))).toEqual({});
    expect(await service.namesOf([pharmacySite], admin)).toEqual({});
    expect(calls.map((c) => c.reader)).toEqual(['wholesaler', 'maker', undefined]);
  });

  it('prefers the owner’s name to the reader’s own', async () => {
    const { repository } = repositoryOf([
      statement(productClass, 'pharmacy', false, { regulatedProductName: 'Amoxi (shelf label)' }),
      statement(productClass, 'maker', true, { regulatedProductName: 'Amoxicillin' }),
    ]);
    const names = await new IdentifierNamesService(repository).namesOf(
      ['04012345123456'],
      member('pharmacy'),
    );
    expect(names['04012345123456']).toMatchObject({ label: 'Amoxicillin', source: 'owner' });
  });

  it('names a place nobody describes after the member registered with its GLN, a product never', async () => {
    const { repository } = repositoryOf(
      [],
      [
        { gln: '4260001000003', name: 'Apotheke am Markt' },
        { gln: '4012345000009', name: 'Rhenus Pharma AG' },
      ],
    );
    const names = await new IdentifierNamesService(repository).namesOf(
      ['urn:epc:id:pgln:4260001.00000', '04012345123456'],
      member('maker'),
    );
    expect(names).toEqual({
      'urn:epc:id:pgln:4260001.00000': {
        kind: 'location',
        label: 'Apotheke am Markt',
        name: 'Apotheke am Markt',
        gln: '4260001000003',
        source: 'registry',
      },
    });
  });
});
