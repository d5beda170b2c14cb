import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProductDto } from '../../master-data/dto/master-data.response';

export class LotPackDto {
  @ApiProperty({ example: 'urn:epc:id:sgtin:4012345.012345.1001' }) epc!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) serial!: string | null;
  @ApiProperty({ example: 'in_transit' }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2028-06-30' }) expiry!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'GLN of the party holding it' })
  custodian!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the member organisation holding it' })
  holder!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'last known business location' })
  location!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the case or pallet it is packed in' })
  container!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "the container's status: a packed pack travels with its case (in_transit, received, …)",
  })
  containerStatus!: string | null;
  @ApiProperty({ description: 'an event of its history raised a rule flag' }) flagged!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) lastEventTime!: string | null;
}

export class LotProvenanceResponse {
  @ApiProperty({ example: '04012345123456' }) gtin!: string;
  @ApiProperty({ example: 'LOT2611A' }) lot!: string;
  @ApiPropertyOptional({ type: ProductDto, description: "from the manufacturer's EPCIS master data" })
  product?: ProductDto;
  @ApiProperty({
    enum: ['whole_lot', 'handled_by_you'],
    description:
      'whole_lot for regulators and the manufacturer; otherwise the packs your organisation handled',
  })
  scope!: 'whole_lot' | 'handled_by_you';
  @ApiProperty() packCount!: number;
  @ApiProperty({ description: 'more packs than the answer holds (10,000)' }) truncated!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { in_transit: 2 } })
  byStatus!: Record<string, number>;
  @ApiProperty() flaggedPacks!: number;
  @ApiProperty({ type: [LotPackDto] }) packs!: LotPackDto[];
}
