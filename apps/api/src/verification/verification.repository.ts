import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PackStatus, preparedQuery } from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface VerifiedPack {
  epc: string;
  lot: string | null;
  expiry: string | null;
  status: PackStatus;
  openAlerts: number;
}

@Injectable()
export class VerificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async pack(gtin: string, serial: string): Promise<VerifiedPack | undefined> {
    const rows = await preparedQuery<{
      epc: string;
      lot: string | null;
      expiry: string | null;
      status: PackStatus;
      open_alerts: number;
    }>(
      this.dataSource,
      'verification-pack',
      `SELECT p.epc, p.lot, to_char(p.expiry, 'YYYY-MM-DD') AS expiry, p.status,
                (SELECT count(*)::int FROM alerts a WHERE a.epcs @> ARRAY[p.epc] AND a.status <> 'resolved') AS open_alerts
           FROM packs p WHERE p.gtin = $1 AND p.serial = $2`,
      [gtin, serial],
    );
    const row = rows[0];
    return (
      row && {
        epc: row.epc,
        lot: row.lot,
        expiry: row.expiry,
        status: row.status,
        openAlerts: row.open_alerts,
      }
    );
  }

  async gtinKnown(gtin: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM packs WHERE gtin = $1 LIMIT 1`, [
      gtin,
    ]);
    return rows.length > 0;
  }
}
