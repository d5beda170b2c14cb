import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { uuidParam } from '@pedigree/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AdminService } from './admin.service';
import { CreateApiKeyDto, CreateOrganisationDto } from './dto/create-organisation.dto';
import { ApiKeyCreatedResponse, OrganisationResponse } from './dto/organisation.response';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('organisations')
  @ApiOperation({ summary: 'Register a consortium member (also registers it on-chain, asynchronously)' })
  @ApiCreatedResponse({ type: OrganisationResponse })
  createOrganisation(@Body() dto: CreateOrganisationDto): Promise<OrganisationResponse> {
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
