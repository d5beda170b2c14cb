import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DetectorMasterData, detectorMasterDataOf, networkRoleOf } from '@pedigree/ml';
import { DataSource } from 'typeorm';

/** The detector's view of the network: every member's sites with coordinates and region, parties and prefixes. */
@Injectable()
export class MasterDataRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(): Promise<{ master: DetectorMasterData; fingerprint: string }> {
    const rows: {
      id: string;
      role: string;
      region: string | null;
      latitude: number | null;
      longitude: number | null;
      glns: string[];
      company_prefixes: string[];
    }[] = await this.dataSource.query(
      `SELECT id, role, region, latitude, longitude, glns, company_prefixes FROM organisations ORDER BY id`,
    );
    const master = detectorMasterDataOf(
      rows.map((o) => ({
        id: o.id,
        role: networkRoleOf(o.role) ?? o.role,
        region: o.region,
        latitude: o.latitude,
        longitude: o.longitude,
        glns: o.glns,
        companyPrefixes: o.company_prefixes,
      })),
    );
    return { master, fingerprint: JSON.stringify(rows) };
  }
}
