import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import type { ForecastSeries } from './forecasts.repository';
import { type ForecastProduct, ForecastsService } from './forecasts.service';

export class ForecastsQueryDto {
  @ApiPropertyOptional({ example: '04012345123456' })
  @IsOptional()
  @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' })
  gtin?: string;

  @ApiPropertyOptional({ example: 'DE' })
  @IsOptional()
  @Matches(/^[A-Z0-9-]{2,20}$/, { message: 'region must be a region code such as DE' })
  region?: string;
}

export class ForecastsResponse {
  @ApiProperty({
    type: [Object],
    description: 'the products forecast: GTIN, and the name and strength from master data when known',
    example: [{ gtin: '04012345123456', name: 'Amoxicillin 500 mg' }],
  })
  products!: ForecastProduct[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ type: [Object] }) series!: ForecastSeries[];
}

/** Demand forecasts for planners: manufacturers, distributors and regulators (pharmacies do not plan supply here). */
@ApiTags('forecasts')
@ApiBearerAuth()
@Roles('manufacturer', 'distributor', 'regulator')
@Controller('v1/forecasts')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Post('retrain')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask intelligence to retrain the demand model now (it picks the request up within seconds)',
  })
  async retrain(): Promise<{ requested: true }> {
    await this.forecasts.requestRetrain();
    return { requested: true };
  }

  @Get()
  @ApiOperation({
    summary:
      'Weekly demand forecasts per GTIN and region (horizon 1-8) with 80% and 95% intervals, and actuals',
  })
  list(
    @Query() query: ForecastsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ForecastsResponse> {
    return this.forecasts.list(query.gtin, query.region, principal);
  }
}
