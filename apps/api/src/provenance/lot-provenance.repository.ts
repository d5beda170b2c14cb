import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One pack of a lot, with the steps the asking organisation published on it (to decide whether it handled it). */
export interface LotPackRow {
  epc: string;
  serial: string | null;
  status: string;
  expiry: string | null;
  custodian: string | null;
  location: string | null;
  parentEpc: string | null;
  containerStatus: string | null;
  ownerOrgId: string | null;
  ownerName: string | null;
  flagged: number;
  lastEventTime: Date | null;
  /** Unflagged events of the asking organisation on this pack: type, action, business step, disposition. */
  ownSteps: { type: string; action: string | null; bizStep: string | null; disposition: string | null }[];
}

@Injectable()
export class LotProvenanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every pack of the lot (at most `limit`), by EPC; `asker` null skips the per-pack steps (it sees them all). */
  async packs(gtin: string, lot: string, asker: string | null, limit: number): Promise<LotPackRow[]> {
    return this.dataSource.query(
      `SELECT p.epc, p.serial, p.status, to_char(p.expiry, 'YYYY-MM-DD') AS expiry, p.custodian, p.location, p.parent_epc AS "parentEpc", c.status AS "containerStatus",
              p.owner_org_id AS "ownerOrgId", o.name AS "ownerName", p.flagged,
              p.last_event_time AS "lastEventTime",
              CASE WHEN $3::uuid IS NULL THEN '[]'::json ELSE COALESCE((
                SELECT json_agg(DISTINCT jsonb_build_object('type', e.event_type, 'action', e.action,
                                                             'bizStep', e.biz_step, 'disposition', e.disposition))
                  FROM pack_history h JOIN epcis_events e ON e.event_hash = h.event_hash
                 WHERE h.epc = p.epc AND e.publisher_org_id = $3 AND e.flags = '[]'::jsonb), '[]'::json) END
              AS "ownSteps"
         FROM packs p LEFT JOIN organisations o ON o.id = p.owner_org_id
         LEFT JOIN packs c ON c.epc = p.parent_epc
        WHERE p.gtin = $1 AND p.lot = $2
        ORDER BY p.epc
        LIMIT $4`,
      [gtin, lot, asker, limit],
    ) as Promise<LotPackRow[]>;
  }

  /** Whether the organisation owns the GS1 Company Prefix of the GTIN (it made the lot, so it sees all of it). */
  async ownsGtin(organisationId: string, gtin: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM organisations o, unnest(o.company_prefixes) cp
        WHERE o.id = $1 AND o.active AND substr($2, 2) LIKE cp || '%' LIMIT 1`,
      [organisationId, gtin],
    )) as unknown[];
    return rows.length > 0;
  }
}
