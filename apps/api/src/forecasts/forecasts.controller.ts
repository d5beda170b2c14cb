import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '../auth/auth.decorators';
import { type ForecastSeries, ForecastsRepository } from './forecasts.repository';

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
  @ApiProperty({ type: [Object] }) products!: { gtin: string }[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ type: [Object] }) series!: ForecastSeries[];
}

/** Demand forecasts for planners: manufacturers, distributors and regulators (pharmacies do not plan supply here). */
@ApiTags('forecasts')
@ApiBearerAuth()
@Roles('manufacturer', 'distributor', 'regulator')
@Controller('v1/forecasts')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsRepository) {}

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
  async list(@Query() query: ForecastsQueryDto): Promise<ForecastsResponse> {
    const catalogue = await this.forecasts.catalogue();
    return { ...catalogue, series: await this.forecasts.series(query.gtin, query.region) };
  }
}
