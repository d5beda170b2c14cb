import { dataSourceOptions } from '@pedigree/database';
import { SiteDirectory } from '@pedigree/ml';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import { DataSource } from 'typeorm';
import { MasterDataRepository } from './master-data.repository';

/**
 * The detector's master data from the registry (PostgreSQL): members registered under the consortium's roles must
 * reach the detector under the trade's, or a distributor's ordinary delivery to a pharmacy reads as a route nobody
 * uses (the demo once raised thousands of diversion alerts that way).
 */
describe('MasterDataRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;

  beforeAll(async () => {
    context = await createTestContext('master data', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    const db = await database(context.config);
    try {
      let index = 10;
      for (const [name, role, gln, region] of [
        ['Maker', 'manufacturer', '4012345000009', 'DE-S'],
        ['Wholesale', 'distributor', '4098765000002', 'DE-N'],
        ['Apotheke', 'dispenser', '4260001000003', 'DE-N'],
        ['Agency', 'regulator', '4000001000005', null],
      ] as const)
        await db.query(
          `INSERT INTO organisations (name, role, company_prefixes, glns, region, latitude, longitude, chain_account_index)
           VALUES ($1, $2, $3, $4, $5, 52.5, 13.4, $6)`,
          // The pharmacy registers its party and its shop, as `pedigree simulate` registers every member.
          [
            name,
            role,
            [gln.slice(0, 7)],
            role === 'dispenser' ? [gln, '4260001000010'] : [gln],
            region,
            index++,
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

  it('gives the detector each site under its trade role, with region, country and position', async () => {
    const { master } = await new MasterDataRepository(dataSource).load();
    const sites = new SiteDirectory(master);
    expect(
      ['4012345000009', '4098765000002', '4260001000003', '4000001000005'].map((gln) => sites.roleOf(gln)),
    ).toEqual(['manufacturer', 'wholesaler', 'pharmacy', 'regulator']);
    expect(sites.regionOf('4260001000003')).toBe('DE-N');
    expect(sites.countryOf('4260001000003')).toBe('DE');
  });

  it('keeps a member’s party and its locations one site, so receipts and dispensing are counted together', async () => {
    const { master } = await new MasterDataRepository(dataSource).load();
    const sites = new SiteDirectory(master);
    expect(sites.siteGlnOf('urn:epc:id:sgln:4260001.00001.0')).toBe('4260001000003');
    expect(sites.siteGlnOf('urn:epc:id:pgln:4260001.00000')).toBe('4260001000003');
  });
});
