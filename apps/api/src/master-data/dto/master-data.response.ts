import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What a person reads about a product: from its manufacturer's master data. */
export class ProductDto {
  @ApiPropertyOptional({ example: 'Amoxicillin' }) name?: string;
  @ApiPropertyOptional({ example: '500 mg' }) strength?: string;
  @ApiPropertyOptional({ example: 'CAPSULE' }) dosageForm?: string;
  @ApiPropertyOptional({ example: '12345-678-90', description: 'NDC or another national code' })
  nationalCode?: string;
  @ApiPropertyOptional({ example: 'Example Pharma Inc.' }) manufacturer?: string;
}

export class MasterDataStatementDto {
  @ApiProperty({ example: 'urn:epcglobal:epcis:vtype:EPCClass' }) type!: string;
  @ApiProperty({ example: 'urn:epc:idpat:sgtin:4012345.012345.*' }) id!: string;
  @ApiProperty({ description: 'who stated it' }) organisation!: string;
  @ApiProperty({
    description:
      'stated by the owner of the identifier (its company prefix or GLN); others only say what they saw',
  })
  authoritative!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'attribute IRI → value' })
  attributes!: Record<string, unknown>;
  @ApiProperty({ type: [String] }) children!: string[];
  @ApiProperty() updatedAt!: string;
}

export class MasterDataResponse {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ type: ProductDto, description: "for a product class: its owner's description" })
  product?: ProductDto;
  @ApiProperty({ type: [MasterDataStatementDto] }) statements!: MasterDataStatementDto[];
}
