import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { type NamedOverview, OverviewService } from './overview.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly overviews: OverviewService) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'Events per second, anchoring lag, open alerts by severity, shipments in transit (own scope unless regulator)',
  })
  overview(@CurrentPrincipal() principal: Principal): Promise<NamedOverview> {
    return this.overviews.overview(principal);
  }
}
