import { toInteger } from '@pedigree/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The standard EPCIS 2.0 query parameters most used in traceability (REST binding, SimpleEventQuery). */
export class EventsQueryDto {
  @ApiPropertyOptional({
    example: 'ObjectEvent,AggregationEvent',
    description: 'comma-separated event types',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventType?: string;

  @ApiPropertyOptional({ example: 'shipping', description: 'comma-separated; bare CBV names or URIs' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  EQ_bizStep?: string;

  @ApiPropertyOptional({ example: 'in_transit' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  EQ_disposition?: string;

  @ApiPropertyOptional({
    example: 'urn:epc:id:sgtin:4012345.012345.1001',
    description: 'comma-separated; in epcList or childEPCs',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  MATCH_epc?: string;

  @ApiPropertyOptional({
    description: 'comma-separated; in any identifier field (parentID, inputs, outputs too)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  MATCH_anyEPC?: string;

  @ApiPropertyOptional({
    example: 'urn:epc:class:lgtin:4012345.012345.A1',
    description: 'comma-separated; class-level identifiers in quantity lists',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  MATCH_epcClass?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'GE_eventTime must be an ISO 8601 date-time' })
  GE_eventTime?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'LT_eventTime must be an ISO 8601 date-time' })
  LT_eventTime?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'GE_recordTime must be an ISO 8601 date-time' })
  GE_recordTime?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'LT_recordTime must be an ISO 8601 date-time' })
  LT_recordTime?: string;

  @ApiPropertyOptional({ example: 'urn:epc:id:sgln:4012345.00001.0' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  EQ_bizLocation?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  EQ_readPoint?: string;

  @ApiPropertyOptional({ default: 30, maximum: 1000 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'perPage must be an integer' })
  @Min(1)
  @Max(1000)
  perPage?: number;

  @ApiPropertyOptional({ description: 'from the Link header of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  nextPageToken?: string;
}
