import { Injectable, Logger } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { type Principal, readsEverything } from '../auth/principal';
import type { IdentifierNames } from '../master-data/dto/identifier-name.dto';
import { IdentifierNamesService } from '../master-data/identifier-names.service';
import { type Overview, StatsRepository } from './stats.repository';

export interface NamedOverview extends Overview {
  /** The latest events' locations, named from master data. */
  names: IdentifierNames;
}

/** The overview's figures for a caller's scope, the latest events' locations named for the caller. */
@Injectable()
export class OverviewService {
  private readonly logger = new Logger(OverviewService.name);

  constructor(
    private readonly stats: StatsRepository,
    private readonly names: IdentifierNamesService,
    private readonly config: PedigreeConfig,
  ) {}

  async overview(principal: Principal): Promise<NamedOverview> {
    const overview = await this.stats.overview(
      this.config.shipmentOverdueHours,
      readsEverything(principal) ? undefined : principal.organisationId,
      this.config.anchorDeadlineSeconds,
    );
    return this.named(overview, principal);
  }

  /** Names for an overview computed once for a whole scope (the live stream shares it between connections). */
  async named(overview: Overview, principal: Principal): Promise<NamedOverview> {
    // The figures matter more than the names: a live stream keeps ticking without them.
    const names = await this.names
      .namesOf(
        overview.latestEvents.map((e) => e.bizLocation),
        principal,
      )
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'cannot name the latest events’ locations');
        return {};
      });
    return { ...overview, names };
  }
}
