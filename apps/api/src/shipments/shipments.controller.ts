import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PedigreeConfig } from '@pedigree/config';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal, readsEverything } from '../auth/principal';
import { ShipmentsQueryDto, ShipmentsResponse } from './dto/shipments.dto';
import { ShipmentsRepository } from './shipments.repository';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly config: PedigreeConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Consignments in transit (or received), filterable; members see the ones they send or receive',
  })
  @ApiOkResponse({ type: ShipmentsResponse })
  async list(
    @Query() query: ShipmentsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ShipmentsResponse> {
    const scope = readsEverything(principal) ? undefined : principal.organisationId;
    return { items: await this.shipments.list(query, this.config.shipmentOverdueHours, scope) };
  }
}
