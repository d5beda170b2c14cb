import { createTestContext, database, type TestContext } from '@pedigree/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@pedigree/database';
import { DemandHistoryRepository } from './demand-history.repository';

/** The weekly demand query against a real, migrated PostgreSQL (it once failed there and nowhere else). */
describe('DemandHistoryRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;

  beforeAll(async () => {
    context = await createTestContext('demand history', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    const db = await database(context.config);
    try {
      const org = await db.query<{ id: string }>(
        `INSERT INTO organisations (name, role, company_prefixes, glns, region, chain_account_index)
         VALUES ('Apotheke', 'dispenser', '{4260001}', '{4260001000003}', 'DE-N', 1) RETURNING id`,
      );
      const orgId = org.rows[0]!.id;
      for (let week = 0; week < 10; week++) {
        for (let i = 0; i <= week % 3; i++) {
          const epc = `urn:epc:id:sgtin:4012345.012345.W${week}N${i}`;
          const hash = Buffer.alloc(32, week * 10 + i + 1);
          const time = new Date(Date.UTC(2026, 0, 5 + week * 7, 10));
          await db.query(
            `INSERT INTO packs (epc, kind, gtin, serial, status, last_event_hash, last_event_time)
             VALUES ($1, 'sgtin', '04012345123456', $2, 'dispensed', $3, $4)`,
            [epc, `W${week}N${i}`, hash, time],
          );
          await db.query(
            `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, event_time, event_time_zone_offset,
                                       epcs, payload, publisher_org_id, source)
             VALUES ($1, 'ObjectEvent', 'OBSERVE', 'dispensing', $2, '+00:00', $3, '{}', $4, 'test')`,
            [hash, time, [epc], orgId],
          );
        }
      }
    } finally {
      await db.end();
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('counts packs dispensed per GTIN, region and week, with empty weeks as zero', async () => {
    const series = await new DemandHistoryRepository(dataSource).weeklySeries(4);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ gtin: '04012345123456', region: 'DE-N', start: '2026-01-05' });
    expect(series[0]!.values).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1]);
    expect(await new DemandHistoryRepository(dataSource).weeklySeries(11)).toEqual([]);
  });
});
