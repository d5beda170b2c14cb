import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PedigreeConfig } from '@pedigree/config';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal, readsEverything } from '../auth/principal';
import { type Overview, StatsRepository } from './stats.repository';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(
    private readonly stats: StatsRepository,
    private readonly config: PedigreeConfig,
  ) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'Events per second, anchoring lag, open alerts by severity, shipments in transit (own scope unless regulator)',
  })
  overview(@CurrentPrincipal() principal: Principal): Promise<Overview> {
    return this.stats.overview(
      this.config.shipmentOverdueHours,
      readsEverything(principal) ? undefined : principal.organisationId,
      this.config.anchorDeadlineSeconds,
    );
  }
}
