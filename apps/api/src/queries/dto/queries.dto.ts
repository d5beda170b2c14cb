import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class CreateNamedQueryDto {
  @ApiProperty({
    example: 'shipped-to-us',
    description: 'letters, digits, `.`, `_`, `-`; unique in your organisation',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'name is 1–100 letters, digits, ".", "_" or "-"' })
  name!: string;

  @ApiProperty({
    example: { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'], GE_eventTime: '2026-01-01T00:00:00Z' },
    description: 'SimpleEventQuery parameters, as for GET /epcis/v2/events (values as strings or arrays)',
  })
  @IsObject()
  query!: Record<string, unknown>;
}

export class NamedQueryResponse {
  @ApiProperty() name!: string;
  @ApiProperty() query!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
}

/** The EPCIS QuerySchedule: each field a cron-like set (`0`, `0,30`, `*\/5`, `1-5`). */
export class QueryScheduleDto {
  @ApiPropertyOptional({ example: '0' }) @IsOptional() @IsString() @MaxLength(60) second?: string;
  @ApiPropertyOptional({ example: '*/5' }) @IsOptional() @IsString() @MaxLength(60) minute?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) hour?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) dayOfMonth?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) month?: string;
  @ApiPropertyOptional({ description: '1 = Monday … 7 = Sunday, as EPCIS counts' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  dayOfWeek?: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({
    example: 'https://erp.example.com/epcis/inbox',
    description: 'the webhook the results are POSTed to',
  })
  @IsString()
  @MaxLength(2000)
  dest!: string;

  @ApiPropertyOptional({
    description:
      'shared secret: each delivery carries `GS1-Signature: sha256=<hex HMAC-SHA256 of the body>`; never returned',
  })
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'signatureToken must be at least 16 characters' })
  @MaxLength(512)
  signatureToken?: string;

  @ApiPropertyOptional({ default: false, description: 'deliver on schedule even when nothing matched' })
  @IsOptional()
  @IsBoolean()
  reportIfEmpty?: boolean;

  @ApiPropertyOptional({ description: 'deliver as events arrive (give this or schedule)' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ type: QueryScheduleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QueryScheduleDto)
  schedule?: QueryScheduleDto;

  @ApiPropertyOptional({ description: 'also deliver events recorded since then (default: from now on)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'initialRecordTime must be an ISO 8601 date-time' })
  initialRecordTime?: string;
}

export class SubscriptionResponse {
  @ApiProperty() subscriptionID!: string;
  @ApiProperty() queryName!: string;
  @ApiProperty() dest!: string;
  @ApiProperty() reportIfEmpty!: boolean;
  @ApiProperty() stream!: boolean;
  @ApiPropertyOptional({ type: QueryScheduleDto }) schedule?: QueryScheduleDto;
  @ApiPropertyOptional() initialRecordTime?: string;
  @ApiProperty() signed!: boolean;
  @ApiProperty({ description: 'events delivered and acknowledged (2xx) so far' }) deliveredEvents!: number;
  @ApiPropertyOptional() lastDeliveredAt?: string;
  @ApiProperty({ description: 'failed attempts since the last success' }) failures!: number;
  @ApiPropertyOptional({ description: 'why the last attempt failed' }) lastError?: string;
  @ApiProperty() nextAttemptAt!: string;
  @ApiProperty() createdAt!: string;
}
