import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrganisationEntity } from '@pedigree/database';

export class OrganisationResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ type: [String] }) companyPrefixes!: string[];
  @ApiProperty({ type: [String] }) glns!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) region!: string | null;
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) chainAddress!: string | null;
  @ApiProperty({ enum: ['pending', 'registered', 'failed'] }) chainStatus!: string;
  @ApiProperty() createdAt!: string;

  static of(entity: OrganisationEntity): OrganisationResponse {
    return {
      id: entity.id,
      name: entity.name,
      role: entity.role,
      companyPrefixes: entity.companyPrefixes,
      glns: entity.glns,
      region: entity.region,
      active: entity.active,
      chainAddress: entity.chainAddress,
      chainStatus: entity.chainStatus,
      createdAt: entity.createdAt.toISOString(),
    };
  }
}

export class ApiKeyCreatedResponse {
  @ApiProperty() id!: string;
  @ApiProperty() organisationId!: string;
  @ApiProperty() label!: string;
  @ApiProperty({
    description: 'The key itself. Shown once; only its hash is stored.',
    example: 'pdg_ab12cd34_…',
  })
  key!: string;
}
