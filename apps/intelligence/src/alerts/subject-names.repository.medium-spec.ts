import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import { DataSource } from 'typeorm';
import { SubjectNamesRepository } from './subject-names.repository';

/**
 * What names alert text, read from PostgreSQL: only the owners' master data (alert text is shared by the members an
 * alert concerns), and the members registered with a GLN.
 */
describe('SubjectNamesRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  const classId = 'urn:epc:idpat:sgtin:4012345.012345.*';
  const siteId = 'urn:epc:id:sgln:4260001.00000.0';

  beforeAll(async () => {
    context = await createTestContext('subject names', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    const db = await database(context.config);
    try {
      const ids: string[] = [];
      for (const [index, [name, role, gln]] of [
        ['Rhenus Pharma AG', 'manufacturer', '4012345000009'],
        ['Apotheke am Markt', 'dispenser', '4260001000003'],
      ].entries()) {
        const { rows } = await db.query<{ id: string }>(
          `INSERT INTO organisations (name, role, company_prefixes, glns, chain_account_index)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [name, role, [gln!.slice(0, 7)], [gln], 20 + index],
        );
        ids.push(rows[0]!.id);
      }
      const [maker, pharmacy] = ids;
      for (const [type, id, org, authoritative, name] of [
        ['EPCClass', classId, maker, true, 'Amoxicillin'],
        ['EPCClass', classId, pharmacy, false, 'Amoxi (shelf label)'],
        ['Location', siteId, maker, false, 'Our customer in Berlin'],
      ] as const)
        await db.query(
          `INSERT INTO master_data (vocabulary_type, id, organisation_id, authoritative, attributes)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            `urn:epcglobal:epcis:vtype:${type}`,
            id,
            org,
            authoritative,
            JSON.stringify({
              'urn:epcglobal:cbv:mda#regulatedProductName': name,
              'urn:epcglobal:cbv:mda#name': name,
            }),
          ],
        );
    } finally {
      await db.end();
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('reads the owner’s statement only, never a member’s own view', async () => {
    const repository = new SubjectNamesRepository(dataSource);
    const statements = await repository.ownerStatements([
      classId,
      siteId,
      'https://id.gs1.org/414/4260001000003',
    ]);
    expect(statements.map((s) => [s.id, s.authoritative])).toEqual([[classId, true]]);
    expect(statements[0]!.attributes['urn:epcglobal:cbv:mda#regulatedProductName']).toBe('Amoxicillin');
  });

  it('finds the member registered with a GLN', async () => {
    const repository = new SubjectNamesRepository(dataSource);
    expect(await repository.registered(['4260001000003', '5600001000006'])).toEqual([
      { gln: '4260001000003', name: 'Apotheke am Markt' },
    ]);
    expect(await repository.registered([])).toEqual([]);
  });
});
