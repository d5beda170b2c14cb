import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { IdentifierNamesService } from '../master-data/identifier-names.service';
import { type ForecastSeries, ForecastsRepository } from './forecasts.repository';

export interface ForecastProduct {
  gtin: string;
  /** Name and strength from master data (`Amoxicillin 500 mg`), when known. */
  name?: string;
}

/** The published demand forecasts, each product named for the planner reading them. */
@Injectable()
export class ForecastsService {
  constructor(
    private readonly forecasts: ForecastsRepository,
    private readonly names: IdentifierNamesService,
  ) {}

  requestRetrain(): Promise<void> {
    return this.forecasts.requestRetrain();
  }

  async list(
    gtin: string | undefined,
    region: string | undefined,
    principal: Principal,
  ): Promise<{ products: ForecastProduct[]; regions: string[]; series: ForecastSeries[] }> {
    const catalogue = await this.forecasts.catalogue();
    const names = await this.names.namesOf(
      catalogue.products.map((p) => p.gtin),
      principal,
    );
    return {
      products: catalogue.products.map((p) => {
        const label = names[p.gtin]?.label;
        return label ? { gtin: p.gtin, name: label } : p;
      }),
      regions: catalogue.regions,
      series: await this.forecasts.series(gtin, region),
    };
  }
}
