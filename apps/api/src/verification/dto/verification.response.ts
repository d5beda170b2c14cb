import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProductDto } from '../../master-data/dto/master-data.response';
import { StateCheckDto } from '../../provenance/dto/provenance.response';

export class VerificationReasonDto {
  @ApiProperty({ example: 'ALREADY_DISPENSED' }) code!: string;
  @ApiProperty({ enum: ['fail', 'pending', 'warn'] }) effect!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ example: 'No match for GTIN + serial number' }) dscsa?: string;
  @ApiPropertyOptional({ example: 'Pack already inactive (supplied)' }) euFmd?: string;
}

export class VerificationResponse {
  @ApiProperty({ description: 'true only when every check passed: safe to dispense' }) verified!: boolean;
  @ApiProperty({ enum: ['verified', 'not_verified', 'pending'] }) status!: string;
  @ApiProperty({ type: [VerificationReasonDto] }) reasons!: VerificationReasonDto[];
  @ApiProperty({ example: '04012345123456' }) gtin!: string;
  @ApiProperty() serial!: string;
  @ApiPropertyOptional() lot?: string;
  @ApiPropertyOptional({ example: '2028-01-31' }) expiry?: string;
  @ApiPropertyOptional({ example: 'urn:epc:id:sgtin:4012345.012345.5AB12C3D4E' }) epc?: string;
  @ApiPropertyOptional({ example: 'received' }) packStatus?: string;
  @ApiPropertyOptional({
    type: ProductDto,
    description:
      "the product as its manufacturer's EPCIS master data describes it (name, strength, form, code)",
  })
  product?: ProductDto;
  @ApiPropertyOptional({
    type: [String],
    description: 'what the barcode parser had to repair (dropped separators, keyboard layout)',
  })
  scanWarnings?: string[];
  @ApiPropertyOptional({
    type: StateCheckDto,
    description:
      "the pack's facts and history checked against the chain's latest state root, with the Merkle-Patricia proof an auditor can check against EventAnchor.latestState() (`pedigree audit` does)",
  })
  state?: StateCheckDto;
  @ApiProperty() checkedAt!: string;
}
