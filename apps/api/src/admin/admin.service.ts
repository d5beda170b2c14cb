import { Injectable, Logger } from '@nestjs/common';
import { isValidGln } from '@pedigree/gs1';
import { generateApiKey } from '../auth/api-key.codec';
import { AuthService } from '../auth/auth.service';
import { AdminErrorCode, AdminException } from './admin.exception';
import { AdminRepository } from './admin.repository';
import type { CreateApiKeyDto, CreateOrganisationDto } from './dto/create-organisation.dto';
import { ApiKeyCreatedResponse, OrganisationResponse } from './dto/organisation.response';

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
  ) {}

  async createOrganisation(dto: CreateOrganisationDto): Promise<OrganisationResponse> {
    const invalidGln = dto.glns.find((gln) => !isValidGln(gln));
    if (invalidGln) {
      throw new AdminException(
        AdminErrorCode.INVALID_GLN,
        `GLN ${invalidGln} has a wrong check digit.`,
        'glns',
      );
    }
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
        active: true,
      });
      await this.repository.enqueueParticipant(manager, { action: 'register', organisationId: saved.id });
      return saved;
    });
    this.logger.log(
      `organisation ${organisation.name} (${organisation.role}) created; on-chain registration queued`,
    );
    return OrganisationResponse.of(organisation);
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
    this.auth.invalidate();
    return this.getOrganisation(id);
  }
}
