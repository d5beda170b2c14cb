import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ORGANISATION_ROLES, type OrganisationRole } from '@pedigree/database';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Acme Pharma GmbH' })
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ enum: ORGANISATION_ROLES, example: 'manufacturer' })
  @IsIn(ORGANISATION_ROLES)
  role!: OrganisationRole;

  @ApiProperty({
    type: [String],
    example: ['4012345'],
    description: 'GS1 Company Prefixes (6-12 digits, as EPC URNs partition them)',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{6,12}$/, { each: true, message: 'each company prefix must be 6 to 12 digits' })
  companyPrefixes!: string[];

  @ApiProperty({
    type: [String],
    example: ['4012345000009'],
    description: 'GLNs of the organisation and its sites (13 digits)',
  })
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^\d{13}$/, { each: true, message: 'each GLN must be 13 digits' })
  glns!: string[];

  @ApiPropertyOptional({
    example: 'DE',
    description: 'market or planning region served (for demand forecasts)',
  })
  @IsOptional()
  @Matches(/^[A-Z0-9-]{2,20}$/, {
    message: 'region must be 2-20 upper-case letters, digits or dashes (e.g. DE, FR-IDF)',
  })
  region?: string;

  @ApiPropertyOptional({
    example: '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4',
    description:
      'address of the key the member signs its Kafka documents with; without one, a key is generated and shown once',
  })
  @IsOptional()
  @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'signingAddress must be a 0x-prefixed 20-byte address' })
  signingAddress?: string;

  @ApiPropertyOptional({ example: 52.52, description: 'latitude of its main site (WGS 84)' })
  @IsOptional()
  @IsNumber({}, { message: 'latitude must be a number' })
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ApiPropertyOptional({ example: 13.4, description: 'longitude of its main site (WGS 84)' })
  @IsOptional()
  @IsNumber({}, { message: 'longitude must be a number' })
  @Min(-180)
  @Max(180)
  longitude?: number;
}

export class SigningAddressDto {
  @ApiProperty({
    example: '0x5B38Da6a701c568545dCfcB03FcB875f56beddC4',
    description:
      'the address of a key the member holds; documents it signs with that key are published as it',
  })
  @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'signingAddress must be a 0x-prefixed 20-byte address' })
  signingAddress!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'warehouse scanner gateway' })
  @IsString()
  @Length(1, 100)
  label!: string;
}
