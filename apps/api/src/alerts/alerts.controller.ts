import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '@pedigree/common';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { AlertsService } from './alerts.service';
import {
  AlertActionDto,
  AlertDetailDto,
  AlertDto,
  AlertsPageDto,
  AlertsQueryDto,
  AlertsSummaryDto,
} from './dto/alerts.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({
    summary: 'Counterfeit-pattern alerts, newest first (members see those concerning them; regulators all)',
  })
  @ApiOkResponse({ type: AlertsPageDto })
  list(@Query() query: AlertsQueryDto, @CurrentPrincipal() principal: Principal): Promise<AlertsPageDto> {
    return this.alerts.list(query, principal);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'The inbox at a glance: unresolved alerts by kind and severity, most severe first',
  })
  @ApiOkResponse({ type: AlertsSummaryDto })
  summary(@CurrentPrincipal() principal: Principal): Promise<AlertsSummaryDto> {
    return this.alerts.summary(principal);
  }

  @Get(':id')
  @ApiOkResponse({ type: AlertDetailDto })
  detail(
    @Param('id', uuidParam('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertDetailDto> {
    return this.alerts.detail(id, principal);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('manufacturer', 'distributor', 'dispenser', 'regulator')
  @ApiOkResponse({ type: AlertDto })
  acknowledge(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: AlertActionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertDto> {
    return this.alerts.act(id, 'acknowledge', body.comment, principal);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('manufacturer', 'distributor', 'dispenser', 'regulator')
  @ApiOkResponse({ type: AlertDto })
  resolve(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: AlertActionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertDto> {
    return this.alerts.act(id, 'resolve', body.comment, principal);
  }
}
