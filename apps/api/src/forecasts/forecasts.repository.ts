import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ForecastSeries {
  seriesId: string;
  gtin: string;
  region: string | null;
  method: string;
  modelVersion: string;
  history: { periodStart: string; value: number }[];
  forecast: {
    periodStart: string;
    horizon: number;
    p50: number;
    p10: number;
    p90: number;
    p025: number;
    p975: number;
  }[];
}

@Injectable()
export class ForecastsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Leaves a request the intelligence service polls for (the API holds no models and trains nothing). */
  async requestRetrain(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO service_state (key, state) VALUES ('forecast-retrain-request', '') ON CONFLICT (key) DO UPDATE SET updated_at = now()`,
    );
  }

  async catalogue(): Promise<{ products: { gtin: string }[]; regions: string[] }> {
    const products: { gtin: string }[] = await this.dataSource.query(
      `SELECT DISTINCT gtin FROM forecasts ORDER BY gtin`,
    );
    const regions: { region: string }[] = await this.dataSource.query(
      `SELECT DISTINCT region FROM forecasts WHERE region IS NOT NULL AND pharmacy IS NULL ORDER BY region`,
    );
    return {
      products: products.map((p) => ({ gtin: p.gtin.trim() })),
      regions: regions.map((r) => r.region),
    };
  }

  /** The latest published forecast of each GTIN × region series, with its recent actuals (packs dispensed per week). */
  async series(gtin: string | undefined, region: string | undefined): Promise<ForecastSeries[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH latest AS (
          SELECT DISTINCT ON (series_id) series_id, model_version FROM forecasts
           WHERE pharmacy IS NULL AND ($1::text IS NULL OR gtin = $1) AND ($2::text IS NULL OR region = $2)
           ORDER BY series_id, created_at DESC
           LIMIT 50)
       SELECT f.* FROM forecasts f JOIN latest l USING (series_id, model_version) ORDER BY f.series_id, f.period_start`,
      [gtin ?? null, region ?? null],
    );
    const bySeries = new Map<string, ForecastSeries>();
    for (const r of rows) {
      const id = r.series_id as string;
      let series = bySeries.get(id);
      if (!series) {
        series = {
          seriesId: id,
          gtin: (r.gtin as string).trim(),
          region: r.region as string | null,
          method: r.method as string,
          modelVersion: r.model_version as string,
          history: [],
          forecast: [],
        };
        bySeries.set(id, series);
      }
      series.forecast.push({
        periodStart: String(r.period_start as string),
        horizon: r.horizon as number,
        p50: Number(r.p50),
        p10: Number(r.p10),
        p90: Number(r.p90),
        p025: Number(r.p2_5),
        p975: Number(r.p97_5),
      });
    }
    for (const series of bySeries.values()) series.history = await this.actuals(series.gtin, series.region);
    return [...bySeries.values()];
  }

  private async actuals(
    gtin: string,
    region: string | null,
  ): Promise<{ periodStart: string; value: number }[]> {
    const rows: { week: Date; n: number }[] = await this.dataSource.query(
      `SELECT date_trunc('week', e.event_time) AS week, count(*)::int AS n
         FROM epcis_events e
         JOIN organisations o ON o.id = e.publisher_org_id
         JOIN packs p ON p.epc = ANY(e.epcs)
        WHERE e.biz_step = 'dispensing' AND p.gtin = $1 AND ($2::text IS NULL OR o.region = $2)
          AND e.event_time > now() - interval '52 weeks'
        GROUP BY 1 ORDER BY 1`,
      [gtin, region],
    );
    return rows.map((r) => ({ periodStart: r.week.toISOString().slice(0, 10), value: r.n }));
  }
}
