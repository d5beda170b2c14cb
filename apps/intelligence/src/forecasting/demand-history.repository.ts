import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isoWeekStart, type TimeSeries } from '@pedigree/ml';
import { DataSource } from 'typeorm';

export interface DemandSeries extends TimeSeries {
  gtin: string;
  region: string;
}

const DAY = 86_400_000;

interface WeekRow {
  gtin: string;
  region: string;
  week: string;
  n: number;
}

/**
 * Weekly demand as Pedigree sees it: packs dispensed per GTIN and region (the dispensing pharmacy's region).
 * Only weeks that have ended count: a week in progress would read as a fall in demand (training runs mid-week). Every
 * series runs to the network's last such week with dispensing, so a product not sold lately ends in zeros instead of
 * at its last sale, which would date its forecasts weeks in the past.
 */
@Injectable()
export class DemandHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async weeklySeries(minWeeks: number, asOf = new Date()): Promise<DemandSeries[]> {
    const rows: WeekRow[] = await this.dataSource.query(
      `SELECT p.gtin, o.region, to_char(date_trunc('week', e.event_time), 'YYYY-MM-DD') AS week, count(*)::int AS n
         FROM epcis_events e
         JOIN organisations o ON o.id = e.publisher_org_id
         CROSS JOIN LATERAL unnest(e.epcs) AS dispensed(epc)
         JOIN packs p ON p.epc = dispensed.epc AND p.kind = 'sgtin'
        WHERE e.biz_step = 'dispensing' AND o.region IS NOT NULL AND e.event_time < $1
        GROUP BY 1, 2, 3`,
      [new Date(`${isoWeekStart(asOf)}T00:00:00Z`)],
    );
    return toSeries(rows, minWeeks);
  }
}

function toSeries(rows: readonly WeekRow[], minWeeks: number): DemandSeries[] {
  const byId = new Map<string, { gtin: string; region: string; weeks: Map<string, number> }>();
  for (const row of rows) {
    const id = `${row.gtin.trim()}|${row.region}`;
    let series = byId.get(id);
    if (!series) byId.set(id, (series = { gtin: row.gtin.trim(), region: row.region, weeks: new Map() }));
    series.weeks.set(row.week, row.n);
  }
  const out: DemandSeries[] = [];
  const last = rows.reduce((max, row) => Math.max(max, Date.parse(`${row.week}T00:00:00Z`)), 0);
  for (const [id, series] of byId) {
    const weeks = [...series.weeks.keys()].sort();
    const first = Date.parse(`${weeks[0]}T00:00:00Z`);
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
