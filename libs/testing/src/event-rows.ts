/**
 * Rows for medium specs that read stored events (demand history, forecasts): a member and one event about some packs,
 * written the way ingest stores them, without running ingest.
 */
import type { Client } from 'pg';

/** A dispensing member with a region (or none); returns its id. */
export async function insertDispenser(
  db: Client,
  name: string,
  region: string | null,
  chainAccountIndex: number,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO organisations (name, role, company_prefixes, glns, region, chain_account_index)
     VALUES ($1, 'dispenser', '{}', '{}', $2, $3) RETURNING id`,
    [name, region, chainAccountIndex],
  );
  return rows[0]!.id;
}

export interface PackEventRow {
  /** The event's hash (32 bytes); tests number them. */
  hash: Buffer;
  orgId: string;
  time: Date;
  gtin: string;
  epcs: string[];
  bizStep?: string;
  kind?: 'sgtin' | 'sscc';
}

/** The packs (new, dispensed) and one ObjectEvent about them, published by `orgId`. */
export async function insertPackEvent(db: Client, row: PackEventRow): Promise<void> {
  for (const epc of row.epcs)
    await db.query(
      `INSERT INTO packs (epc, kind, gtin, serial, status, last_event_hash, last_event_time)
       VALUES ($1, $2, $3, $1, 'dispensed', $4, $5)`,
      [epc, row.kind ?? 'sgtin', row.gtin, row.hash, row.time],
    );
  await db.query(
    `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, event_time, event_time_zone_offset,
                               epcs, payload, publisher_org_id, source)
     VALUES ($1, 'ObjectEvent', 'OBSERVE', $2, $3, '+00:00', $4, '{}', $5, 'test')`,
    [row.hash, row.bizStep ?? 'dispensing', row.time, row.epcs, row.orgId],
  );
}

/** A 32-byte event hash numbered `n`. */
export function numberedHash(n: number): Buffer {
  const hash = Buffer.alloc(32);
  hash.writeUInt32BE(n);
  return hash;
}
