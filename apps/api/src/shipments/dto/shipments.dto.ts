import { toInteger, toBoolean } from '@pedigree/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiIdentifierNames, type IdentifierNames } from '../../master-data/dto/identifier-name.dto';

export class ShipmentsQueryDto {
  @ApiPropertyOptional({ enum: ['in_transit', 'received', 'all'], default: 'in_transit' })
  @IsOptional()
  @IsIn(['in_transit', 'received', 'all'])
  status?: 'in_transit' | 'received' | 'all';

  @ApiPropertyOptional({ description: 'sender or addressee: organisation name (substring) or GLN' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  party?: string;

  @ApiPropertyOptional({ example: '04012345123456' })
  @IsOptional()
  @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' })
  gtin?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lot?: string;

  @ApiPropertyOptional({ description: 'only overdue shipments' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ShipmentDto {
  @ApiProperty() consignment!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) fromParty!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) fromOrganisation!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) toParty!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) toOrganisation!: string | null;
  @ApiProperty() shippedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) receivedAt!: string | null;
  @ApiProperty({ enum: ['in_transit', 'received'] }) status!: string;
  @ApiProperty() ageHours!: number;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() packCount!: number;
  @ApiProperty({ type: [String] }) gtins!: string[];
  @ApiProperty({ type: [String] }) lots!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) shipTransactionHash!: string | null;
}

export class ShipmentsResponse {
  @ApiProperty({ type: [ShipmentDto] }) items!: ShipmentDto[];
  /** The shipments' products (GTINs) and parties. */
  @ApiIdentifierNames() names!: IdentifierNames;
}
