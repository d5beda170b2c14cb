import { toInteger } from '@pedigree/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ApiIdentifierNames, type IdentifierNames } from '../../master-data/dto/identifier-name.dto';

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'acknowledged', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  status?: 'open' | 'acknowledged' | 'resolved';

  @ApiPropertyOptional({ enum: ['low', 'medium', 'high', 'critical'] })
  @IsOptional()
  @IsIn(['low', 'medium', 'high', 'critical'])
  severity?: string;

  @ApiPropertyOptional({ example: 'cloned_serial' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  kind?: string;

  @ApiPropertyOptional({ example: 'urn:epc:id:sgtin:4012345.012345.1001' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  epc?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AlertActionDto {
  @ApiProperty({ example: 'Quarantined the pack; manufacturer informed.' })
  @IsString()
  @Length(1, 2000)
  comment!: string;
}

export class AlertEvidenceDto {
  @ApiProperty({ type: [String] }) eventHashes!: string[];
  @ApiProperty({ type: [String] }) rules!: string[];
  @ApiPropertyOptional({ type: Object }) features?: Record<string, number>;
  @ApiPropertyOptional({
    type: Object,
    description: 'name → version of the models that scored it (GET /v1/models)',
  })
  models?: Record<string, string>;
  @ApiPropertyOptional({ description: 'the API key a verification-harvesting alert is about (its id)' })
  apiKeyId?: string;
}

export class AlertDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'cloned_serial' }) kind!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'] }) severity!: string;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'] }) status!: string;
  @ApiProperty() score!: number;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [String] }) epcs!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) gtin!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lot!: string | null;
  @ApiProperty() occurrences!: number;
  @ApiProperty() openedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: AlertEvidenceDto }) evidence!: AlertEvidenceDto;
  @ApiProperty({ type: [Object] }) comments!: { at: string; by: string; action: string; text: string }[];
}

export class AlertEventDto {
  @ApiProperty() eventHash!: string;
  @ApiProperty() eventType!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) bizStep!: string | null;
  @ApiProperty() eventTime!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) bizLocation!: string | null;
  @ApiProperty({ type: [String] }) epcs!: string[];
}

export class AlertDetailDto extends AlertDto {
  @ApiProperty({ type: [AlertEventDto] }) events!: AlertEventDto[];
  /** Its product, packs and the events' locations. */
  @ApiIdentifierNames() names!: IdentifierNames;
}

export class AlertsPageDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
  /** The alerts' products and first packs. */
  @ApiIdentifierNames() names!: IdentifierNames;
}

export class AlertGroupDto {
  @ApiProperty({ example: 'diversion' }) kind!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'] }) severity!: string;
  @ApiProperty({ description: 'open alerts of this kind and severity' }) open!: number;
  @ApiProperty({ description: 'acknowledged, not resolved' }) acknowledged!: number;
  @ApiProperty({ description: 'when the oldest of them opened' }) oldestOpenedAt!: string;
}

export class AlertsSummaryDto {
  @ApiProperty({ description: 'alerts not resolved, visible to the caller' }) unresolved!: number;
  @ApiProperty({ type: [AlertGroupDto], description: 'by kind and severity, most severe first' })
  groups!: AlertGroupDto[];
}
