import { dataSourceOptions } from '@pedigree/database';
import { AnomalyDetector, type DetectorSnapshot } from '@pedigree/ml';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DetectorStateRepository } from './detector-state.repository';

/** A real detector's snapshot, made distinguishable by the hashes it has seen. */
function snapshot(seenHashes: string[]): DetectorSnapshot {
  const empty = new AnomalyDetector({ master: { sites: [] } }).snapshot();
  // Through JSON, as a checkpoint is stored: what comes back is compared with what went in.
  return JSON.parse(
    JSON.stringify({ ...empty, seenHashes, firstEventTime: 1_767_607_200_000 }),
  ) as DetectorSnapshot;
}

/** The detector's checkpoints against a real, migrated PostgreSQL: a restart resumes where the last one stood. */
describe('DetectorStateRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: DetectorStateRepository;

  beforeAll(async () => {
    context = await createTestContext('detector state', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    repository = new DetectorStateRepository(dataSource);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('has no checkpoint before the first save, whatever else the services keep', async () => {
    await db.query(`INSERT INTO service_state (key, state) VALUES ('forecast-retrain-request', '')`);
    expect(await repository.load()).toBeUndefined();
  });

  it('reads back the snapshot and offsets it saved, the snapshot compressed in the row', async () => {
    const first = { snapshot: snapshot(['aa']), offsets: { 'events.accepted.v1/0': '42' } };
    await repository.save(first);
    expect(await repository.load()).toEqual(first);
    const { rows } = await db.query<{ state: Buffer }>(
      `SELECT state FROM service_state WHERE key = 'anomaly-detector'`,
    );
    expect(rows[0]!.state.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('replaces the checkpoint on every save, keeping one row', async () => {
    const second = {
      snapshot: snapshot(['aa', 'bb']),
      offsets: { 'events.accepted.v1/0': '57', 'events.rejected.v1/2': '3' },
    };
    await repository.save(second);
    expect(await repository.load()).toEqual(second);
    const { rows } = await db.query<{ key: string }>(`SELECT key FROM service_state ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(['anomaly-detector', 'forecast-retrain-request']);
  });
});
