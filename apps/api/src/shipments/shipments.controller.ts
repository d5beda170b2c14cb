import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ShipmentsQueryDto, ShipmentsResponse } from './dto/shipments.dto';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Consignments in transit (or received), filterable; members see the ones they send or receive',
  })
  @ApiOkResponse({ type: ShipmentsResponse })
  list(
    @Query() query: ShipmentsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ShipmentsResponse> {
    return this.shipments.list(query, principal);
  }
}
