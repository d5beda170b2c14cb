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
  @ApiProperty({ type: [String], description: 'addresses whose signature makes a document this member’s' })
  signingAddresses!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) kafkaUsername!: string | null;
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
      signingAddresses: entity.signingAddresses,
      kafkaUsername: entity.kafkaUsername,
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

export class KafkaCredentialsResponse {
  @ApiProperty({ example: 'member-6f1c…' }) username!: string;
  @ApiProperty({ description: 'Shown once; the broker keeps only a salted SCRAM verifier.' })
  password!: string;
  @ApiProperty({ example: 'SCRAM-SHA-512' }) mechanism!: string;
  @ApiProperty({ type: [String] }) brokers!: string[];
  @ApiProperty({ example: 'epcis.events.v1', description: 'the only topic the account may write to' })
  topic!: string;
}

export class OrganisationCreatedResponse extends OrganisationResponse {
  @ApiProperty({ type: KafkaCredentialsResponse, description: 'its own Kafka account; shown once' })
  kafka!: KafkaCredentialsResponse;
  @ApiPropertyOptional({
    description:
      'the generated private key documents are signed with, when no signingAddress was given; shown once, not kept',
  })
  signingKey?: string;
}
