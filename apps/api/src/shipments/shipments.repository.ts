import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ShipmentDto, ShipmentsQueryDto } from './dto/shipments.dto';

@Injectable()
export class ShipmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(
    query: ShipmentsQueryDto,
    overdueHours: number,
    orgId: string | undefined,
  ): Promise<ShipmentDto[]> {
    const status = query.status ?? 'in_transit';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ct.consignment_key, ct.from_party, fo.name AS from_name, ct.to_party, tor.name AS to_name, ct.shipped_at,
              ct.received_at, ct.pack_count, ct.gtins, ct.lots, ct.ship_tx_hash,
              EXTRACT(EPOCH FROM (COALESCE(ct.received_at, now()) - ct.shipped_at)) / 3600 AS age_hours
         FROM custody_transfers ct
         LEFT JOIN organisations fo ON fo.id = ct.from_org_id
         LEFT JOIN organisations tor ON tor.id = ct.to_org_id
        WHERE ($1 = 'all' OR ($1 = 'in_transit') = (ct.receive_event_hash IS NULL))
          AND ($2::uuid IS NULL OR ct.from_org_id = $2 OR ct.to_org_id = $2)
          AND ($3::text IS NULL OR fo.name ILIKE '%' || $3 || '%' OR tor.name ILIKE '%' || $3 || '%'
               OR ct.from_party = $3 OR ct.to_party = $3)
          AND ($4::text IS NULL OR $4 = ANY(ct.gtins))
          AND ($5::text IS NULL OR $5 = ANY(ct.lots))
          AND (NOT $6 OR (ct.receive_event_hash IS NULL AND ct.shipped_at < now() - make_interval(hours => $7)))
        ORDER BY ct.shipped_at ASC
        LIMIT $8`,
      [
        status,
        orgId ?? null,
        query.party ?? null,
        query.gtin ?? null,
        query.lot ?? null,
        query.overdue === true,
        overdueHours,
        query.limit ?? 100,
      ],
    );
    return rows.map((r) => {
      const received = r.received_at as Date | null;
      const ageHours = Math.round(Number(r.age_hours) * 10) / 10;
      return {
        consignment: r.consignment_key as string,
        fromParty: r.from_party as string | null,
        fromOrganisation: r.from_name as string | null,
        toParty: r.to_party as string | null,
        toOrganisation: r.to_name as string | null,
        shippedAt: (r.shipped_at as Date).toISOString(),
        receivedAt: received ? received.toISOString() : null,
        status: received ? 'received' : 'in_transit',
        ageHours,
        overdue: !received && ageHours > overdueHours,
        packCount: r.pack_count as number,
        gtins: r.gtins as string[],
        lots: r.lots as string[],
        shipTransactionHash: r.ship_tx_hash as string | null,
      };
    });
  }
}
