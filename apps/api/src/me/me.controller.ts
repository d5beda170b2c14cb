import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';

export class MeResponse {
  @ApiProperty({ enum: ['manufacturer', 'distributor', 'dispenser', 'regulator', 'admin'] }) role!: string;
  @ApiPropertyOptional() organisationId?: string;
  @ApiPropertyOptional() organisationName?: string;
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  /** Who the presented key belongs to: the dashboard's sign-in check. */
  @Get()
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): MeResponse {
    return {
      role: principal.role,
      organisationId: principal.organisationId,
      organisationName: principal.organisationName,
    };
  }
}
