import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class RegisterCustodyKeyDto {
  @ApiProperty({
    description: "the address of the key that will sign this organisation's custody handoffs",
    example: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
  })
  @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'must be a 0x-prefixed 20-byte address' })
  address!: string;

  @ApiProperty({
    description:
      "the key's EIP-712 signature of CustodyKey(string organisationId, address key) in the domain of GET /v1/custody/key: proof that the organisation holds it",
  })
  @Matches(/^0x[0-9a-fA-F]{130}$/, { message: 'must be a 65-byte signature, 0x + 130 hex digits' })
  signature!: string;
}

export class CustodySignatureDto {
  @ApiProperty({
    description: "the organisation's custody key's EIP-712 signature of the request's typedData",
  })
  @Matches(/^0x[0-9a-fA-F]{130}$/, { message: 'must be a 65-byte signature, 0x + 130 hex digits' })
  signature!: string;
}

export class TypedDataDomainDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: string;
  @ApiProperty() chainId!: number;
  @ApiProperty({ description: 'the CustodyLedger contract' }) verifyingContract!: string;
}

export class CustodyKeyDto {
  @ApiProperty({
    enum: ['platform', 'own'],
    description: "who holds the key that signs this organisation's handoffs",
  })
  mode!: 'platform' | 'own';
  @ApiPropertyOptional({
    description: 'its participant address on chain (null until registered)',
    nullable: true,
  })
  address!: string | null;
  @ApiPropertyOptional({
    description: 'an own address registered and not yet bound on chain',
    nullable: true,
  })
  pendingAddress!: string | null;
  @ApiProperty({ enum: ['pending', 'registered', 'failed'] }) chainStatus!: string;
  @ApiPropertyOptional({
    type: TypedDataDomainDto,
    description: 'the EIP-712 domain to sign in (null when the chain is unknown)',
    nullable: true,
  })
  domain!: TypedDataDomainDto | null;
}

export interface TypedDataFieldDto {
  name: string;
  type: string;
}

export class HandoffTypedDataDto {
  @ApiProperty({ type: TypedDataDomainDto }) domain!: TypedDataDomainDto;
  @ApiProperty({ enum: ['Shipment', 'Receipt'] }) primaryType!: 'Shipment' | 'Receipt';
  @ApiProperty({
    description:
      'EIP-712 types: Shipment(bytes32 consignmentId,address to,bytes32 eventHash,uint256 sequence) or Receipt(bytes32 consignmentId,bytes32 eventHash,uint256 sequence)',
    type: 'object',
    additionalProperties: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } },
    },
  })
  types!: Record<string, TypedDataFieldDto[]>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) message!: Record<string, string>;
}

export class SignatureRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['ship', 'receive'] }) action!: 'ship' | 'receive';
  @ApiProperty({ description: 'the SSCC, or lot and shipment key, of the consignment' }) consignment!: string;
  @ApiProperty({ description: 'the EPCIS event (Event Hash ID digest, hex) this handoff records' })
  eventHash!: string;
  @ApiProperty({ enum: ['awaiting_signature', 'signed', 'recorded', 'refused'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, description: "the chain's reason, when refused" }) outcome!:
    string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: HandoffTypedDataDto }) typedData!: HandoffTypedDataDto;
}

export class SignatureRequestsDto {
  @ApiProperty({ type: [SignatureRequestDto] }) items!: SignatureRequestDto[];
}
