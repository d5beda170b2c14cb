import { Injectable, Logger } from '@nestjs/common';
import { isValidGln } from '@pedigree/gs1';
import { generateApiKey } from '../auth/api-key.codec';
import { AuthService } from '../auth/auth.service';
import { AdminErrorCode, AdminException } from './admin.exception';
import { AdminRepository } from './admin.repository';
import type { CreateApiKeyDto, CreateOrganisationDto } from './dto/create-organisation.dto';
import {
  ApiKeyCreatedResponse,
  type KafkaCredentialsResponse,
  type OrganisationCreatedResponse,
  OrganisationResponse,
} from './dto/organisation.response';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { deleteMemberAccount, type MemberKafkaAccount, upsertMemberAccount } from '@pedigree/messaging';
import { Wallet } from 'ethers';

/**
 * Consortium administration. Creating an organisation also queues its on-chain registration: the ledger, the
 * only holder of keys, registers it with its role and hashed identifiers and fills in its address.
 */
@Injectable()
export class AdminService {
  private readonly logger = new Logger(AdminService.name);

  constructor(
    private readonly repository: AdminRepository,
    private readonly auth: AuthService,
    private readonly config: PedigreeConfig,
  ) {}

  async createOrganisation(dto: CreateOrganisationDto): Promise<OrganisationCreatedResponse> {
    const invalidGln = dto.glns.find((gln) => !isValidGln(gln));
    if (invalidGln) {
      throw new AdminException(
        AdminErrorCode.INVALID_GLN,
        `GLN ${invalidGln} has a wrong check digit.`,
        'glns',
      );
    }
    // Without an address of its own, the member gets a fresh key: shown once here, kept nowhere by Pedigree.
    const generated = dto.signingAddress ? undefined : Wallet.createRandom();
    const signingAddress = (dto.signingAddress ?? generated!.address).toLowerCase();
    let kafka: MemberKafkaAccount | undefined;
    const organisation = await this.repository.transaction(async (manager) => {
      const index = await this.repository.nextAccountIndex(manager);
      const conflicts = await this.repository.conflicts(manager, dto.name, dto.companyPrefixes, dto.glns);
      if (conflicts.name) {
        throw new AdminException(
          AdminErrorCode.ORGANISATION_EXISTS,
          `An organisation named "${dto.name}" exists.`,
          'name',
        );
      }
      if (conflicts.prefixes.length > 0 || conflicts.glns.length > 0) {
        throw new AdminException(
          AdminErrorCode.IDENTIFIER_TAKEN,
          `Already bound to another organisation: ${[...conflicts.prefixes, ...conflicts.glns].join(', ')}.`,
          conflicts.prefixes.length > 0 ? 'companyPrefixes' : 'glns',
        );
      }
      const saved = await this.repository.saveOrganisation(manager, {
        name: dto.name,
        role: dto.role,
        companyPrefixes: [...new Set(dto.companyPrefixes)],
        glns: [...new Set(dto.glns)],
        region: dto.region ?? null,
        latitude: dto.latitude ?? null,
        longitude: dto.longitude ?? null,
        chainAccountIndex: index,
        chainStatus: 'pending',
        signingAddresses: [signingAddress],
        active: true,
      });
      await this.repository.enqueueParticipant(manager, { action: 'register', organisationId: saved.id });
      // Inside the transaction: if the broker refuses, no member exists without its credentials.
      kafka = await this.kafkaAccount(saved.id);
      await this.repository.setKafkaUsername(manager, saved.id, kafka.username);
      saved.kafkaUsername = kafka.username;
      return saved;
    });
    this.logger.log(
      `organisation ${organisation.name} (${organisation.role}) created; on-chain registration queued`,
    );
    return {
      ...OrganisationResponse.of(organisation),
      kafka: kafka!,
      ...(generated ? { signingKey: generated.privateKey } : {}),
    };
  }

  /** A new Kafka password for a member (the old one stops working): shown once. */
  async rotateKafkaCredentials(id: string): Promise<KafkaCredentialsResponse> {
    const organisation = await this.getOrganisation(id);
    if (!organisation.active) {
      throw new AdminException(
        AdminErrorCode.ORGANISATION_INACTIVE,
        `Organisation ${id} is deactivated.`,
        'id',
      );
    }
    const account = await this.kafkaAccount(id);
    await this.repository.transaction((manager) =>
      this.repository.setKafkaUsername(manager, id, account.username),
    );
    this.logger.log(`Kafka credentials of organisation ${id} rotated`);
    return account;
  }

  async addSigningAddress(id: string, address: string): Promise<OrganisationResponse> {
    if (!(await this.repository.setSigningAddresses(id, { add: address.toLowerCase() }))) {
      throw new AdminException(AdminErrorCode.ORGANISATION_NOT_FOUND, `No organisation with id ${id}.`, 'id');
    }
    return this.getOrganisation(id);
  }

  /** Revokes a signing key: documents it signs are dead-lettered from ingest's next directory refresh (≤ 5 s). */
  async removeSigningAddress(id: string, address: string): Promise<OrganisationResponse> {
    if (!(await this.repository.setSigningAddresses(id, { remove: address.toLowerCase() }))) {
      throw new AdminException(AdminErrorCode.ORGANISATION_NOT_FOUND, `No organisation with id ${id}.`, 'id');
    }
    return this.getOrganisation(id);
  }

  private async kafkaAccount(id: string): Promise<MemberKafkaAccount> {
    try {
      return await upsertMemberAccount(this.config, id);
    } catch (error) {
      throw new CommonError(
        CommonErrorCode.DEPENDENCY_UNAVAILABLE,
        'Kafka did not accept the member account; retry later.',
        { cause: error },
      );
    }
  }

  async listOrganisations(): Promise<OrganisationResponse[]> {
    return (await this.repository.listOrganisations()).map((o) => OrganisationResponse.of(o));
  }

  async getOrganisation(id: string): Promise<OrganisationResponse> {
    const organisation = await this.repository.findOrganisation(id);
    if (!organisation) {
      throw new AdminException(AdminErrorCode.ORGANISATION_NOT_FOUND, `No organisation with id ${id}.`, 'id');
    }
    return OrganisationResponse.of(organisation);
  }

  async createApiKey(organisationId: string, dto: CreateApiKeyDto): Promise<ApiKeyCreatedResponse> {
    await this.getOrganisation(organisationId);
    const generated = generateApiKey();
    const saved = await this.repository.insertApiKey({
      organisationId,
      keyPrefix: generated.prefix,
      keyHash: generated.hash,
      label: dto.label,
    });
    this.logger.log(`API key ${generated.prefix} created for organisation ${organisationId}`);
    return { id: saved.id, organisationId, label: saved.label, key: generated.key };
  }

  async revokeApiKey(id: string): Promise<void> {
    if (!(await this.repository.revokeApiKey(id))) {
      throw new AdminException(AdminErrorCode.API_KEY_NOT_FOUND, `No active API key with id ${id}.`, 'id');
    }
    this.auth.invalidate();
  }

  async setActive(id: string, active: boolean): Promise<OrganisationResponse> {
    await this.repository.transaction(async (manager) => {
      if (!(await this.repository.setActive(manager, id, active))) {
        throw new AdminException(
          AdminErrorCode.ORGANISATION_NOT_FOUND,
          `No organisation with id ${id}.`,
          'id',
        );
      }
      await this.repository.enqueueParticipant(manager, {
        action: active ? 'reactivate' : 'deactivate',
        organisationId: id,
      });
    });
    // A deactivated member's broker account goes at once; reactivation issues new credentials on request.
    if (!active)
      await deleteMemberAccount(this.config, id).catch((error: unknown) => {
        this.logger.error({ err: error }, `could not delete the Kafka account of organisation ${id}`);
      });
    this.auth.invalidate();
    return this.getOrganisation(id);
  }
}
