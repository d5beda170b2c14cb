import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DetectorMasterData, networkRoleOf } from '@pedigree/ml';
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
    const master: DetectorMasterData = {
      sites: rows.flatMap((o) =>
        o.glns.map((gln) => ({
          gln,
          orgId: o.id,
          role: networkRoleOf(o.role) ?? o.role,
          ...(o.region ? { region: o.region, country: o.region.slice(0, 2) } : {}),
          ...(o.latitude !== null && o.longitude !== null ? { lat: o.latitude, lon: o.longitude } : {}),
        })),
      ),
      parties: rows.flatMap((o) => o.glns.map((gln) => ({ gln, orgId: o.id }))),
      prefixes: rows.flatMap((o) => o.company_prefixes.map((prefix) => ({ prefix, orgId: o.id }))),
    };
    return { master, fingerprint: JSON.stringify(rows) };
  }
}
