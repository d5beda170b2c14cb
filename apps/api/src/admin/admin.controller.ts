import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { uuidParam } from '@pedigree/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AdminService } from './admin.service';
import { CreateApiKeyDto, CreateOrganisationDto, SigningAddressDto } from './dto/create-organisation.dto';
import {
  ApiKeyCreatedResponse,
  KafkaCredentialsResponse,
  OrganisationCreatedResponse,
  OrganisationResponse,
} from './dto/organisation.response';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('organisations')
  @ApiOperation({ summary: 'Register a consortium member (also registers it on-chain, asynchronously)' })
  @ApiCreatedResponse({ type: OrganisationCreatedResponse })
  createOrganisation(@Body() dto: CreateOrganisationDto): Promise<OrganisationCreatedResponse> {
    return this.admin.createOrganisation(dto);
  }

  @Get('organisations')
  @ApiOkResponse({ type: [OrganisationResponse] })
  listOrganisations(): Promise<OrganisationResponse[]> {
    return this.admin.listOrganisations();
  }

  @Get('organisations/:id')
  @ApiOkResponse({ type: OrganisationResponse })
  getOrganisation(@Param('id', uuidParam('id')) id: string): Promise<OrganisationResponse> {
    return this.admin.getOrganisation(id);
  }

  @Post('organisations/:id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganisationResponse })
  deactivate(@Param('id', uuidParam('id')) id: string): Promise<OrganisationResponse> {
    return this.admin.setActive(id, false);
  }

  @Post('organisations/:id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: OrganisationResponse })
  reactivate(@Param('id', uuidParam('id')) id: string): Promise<OrganisationResponse> {
    return this.admin.setActive(id, true);
  }

  @Post('organisations/:id/kafka-credentials')
  @ApiOperation({
    summary: "Issue a new password for the member's Kafka account (the old one stops working); shown once",
  })
  @ApiCreatedResponse({ type: KafkaCredentialsResponse })
  rotateKafkaCredentials(@Param('id', uuidParam('id')) id: string): Promise<KafkaCredentialsResponse> {
    return this.admin.rotateKafkaCredentials(id);
  }

  @Post('organisations/:id/signing-addresses')
  @ApiOperation({
    summary: 'Register another key whose signature makes a document this member’s (key rotation)',
  })
  @ApiCreatedResponse({ type: OrganisationResponse })
  addSigningAddress(
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: SigningAddressDto,
  ): Promise<OrganisationResponse> {
    return this.admin.addSigningAddress(id, dto.signingAddress);
  }

  @Delete('organisations/:id/signing-addresses/:address')
  @ApiOperation({ summary: 'Revoke a signing key: documents signed with it are refused from then on' })
  @ApiOkResponse({ type: OrganisationResponse })
  removeSigningAddress(
    @Param('id', uuidParam('id')) id: string,
    @Param('address') address: string,
  ): Promise<OrganisationResponse> {
    return this.admin.removeSigningAddress(id, address);
  }

  @Post('organisations/:id/api-keys')
  @ApiOperation({ summary: 'Create an API key; the key is returned once and only its hash is stored' })
  @ApiCreatedResponse({ type: ApiKeyCreatedResponse })
  createApiKey(
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<ApiKeyCreatedResponse> {
    return this.admin.createApiKey(id, dto);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  revokeApiKey(@Param('id', uuidParam('id')) id: string): Promise<void> {
    return this.admin.revokeApiKey(id);
  }
}
