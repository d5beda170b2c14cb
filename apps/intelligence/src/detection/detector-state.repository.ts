import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DetectorSnapshot } from '@pedigree/ml';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';

const KEY = 'anomaly-detector';

export interface Checkpoint {
  snapshot: DetectorSnapshot;
  /** `topic/partition` → next offset the snapshot already includes. */
  offsets: Record<string, string>;
}

/** Checkpoints of the detector's state with the Kafka offsets they cover, so a restart resumes where it stood. */
@Injectable()
export class DetectorStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(): Promise<Checkpoint | undefined> {
    const rows: { state: Buffer; offsets: Record<string, string> }[] = await this.dataSource.query(
      `SELECT state, offsets FROM service_state WHERE key = $1`,
      [KEY],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      snapshot: JSON.parse(gunzipSync(row.state).toString('utf8')) as DetectorSnapshot,
      offsets: row.offsets,
    };
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO service_state (key, state, offsets) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, offsets = EXCLUDED.offsets, updated_at = now()`,
      [KEY, gzipSync(JSON.stringify(checkpoint.snapshot)), JSON.stringify(checkpoint.offsets)],
    );
  }
}
