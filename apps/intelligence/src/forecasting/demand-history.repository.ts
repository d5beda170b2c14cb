import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TimeSeries } from '@pedigree/ml';
import { DataSource } from 'typeorm';

export interface DemandSeries extends TimeSeries {
  gtin: string;
  region: string;
}

const DAY = 86_400_000;

/** Monday of the ISO week of a date, as YYYY-MM-DD. */
export function weekStart(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - day * DAY)
    .toISOString()
    .slice(0, 10);
}

/** Weekly demand as Pedigree sees it: packs dispensed per GTIN and region (the dispensing pharmacy's region). */
@Injectable()
export class DemandHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async weeklySeries(minWeeks: number): Promise<DemandSeries[]> {
    const rows: { gtin: string; region: string; week: string; n: number }[] = await this.dataSource.query(
      `SELECT p.gtin, o.region, to_char(date_trunc('week', e.event_time), 'YYYY-MM-DD') AS week, count(*)::int AS n
         FROM epcis_events e
         JOIN organisations o ON o.id = e.publisher_org_id
         CROSS JOIN LATERAL unnest(e.epcs) AS dispensed(epc)
         JOIN packs p ON p.epc = dispensed.epc AND p.kind = 'sgtin'
        WHERE e.biz_step = 'dispensing' AND o.region IS NOT NULL
        GROUP BY 1, 2, 3`,
    );
    const byId = new Map<string, { gtin: string; region: string; weeks: Map<string, number> }>();
    for (const row of rows) {
      const id = `${row.gtin.trim()}|${row.region}`;
      let series = byId.get(id);
      if (!series) byId.set(id, (series = { gtin: row.gtin.trim(), region: row.region, weeks: new Map() }));
      series.weeks.set(row.week, row.n);
    }
    const out: DemandSeries[] = [];
    for (const [id, series] of byId) {
      const weeks = [...series.weeks.keys()].sort();
      const first = Date.parse(`${weeks[0]}T00:00:00Z`);
      const last = Date.parse(`${weeks[weeks.length - 1]}T00:00:00Z`);
      const values: number[] = [];
      for (let t = first; t <= last; t += 7 * DAY)
        values.push(series.weeks.get(new Date(t).toISOString().slice(0, 10)) ?? 0);
      // Too short a history says nothing about seasons or trends; those series wait.
      if (values.length >= minWeeks) {
        out.push({
          id,
          gtin: series.gtin,
          region: series.region,
          start: weeks[0]!,
          frequency: 'weekly',
          values,
          kind: 'region',
          group: series.gtin,
        });
      }
    }
    return out;
  }
}
