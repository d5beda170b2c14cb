import { Body, Controller, Get, HttpCode, Param, ParseBoolPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { CustodyService } from './custody.service';
import {
  CustodyKeyDto,
  CustodySignatureDto,
  RegisterCustodyKeyDto,
  SignatureRequestDto,
  SignatureRequestsDto,
} from './dto/custody.dto';

const MEMBERS = ['manufacturer', 'distributor', 'dispenser', 'regulator'] as const;

@ApiTags('custody')
@ApiBearerAuth()
@Controller('v1/custody')
@Roles(...MEMBERS)
export class CustodyController {
  constructor(private readonly custody: CustodyService) {}

  @Get('key')
  @ApiOperation({
    summary: 'Who signs your custody handoffs, your address on chain, and the EIP-712 domain to sign in',
  })
  @ApiOkResponse({ type: CustodyKeyDto })
  key(@CurrentPrincipal() principal: Principal): Promise<CustodyKeyDto> {
    return this.custody.key(principal);
  }

  @Put('key')
  @ApiOperation({
    summary:
      'Register your own custody key (signed proof of possession); from then on you sign your handoffs',
  })
  @ApiOkResponse({ type: CustodyKeyDto })
  registerKey(
    @Body() body: RegisterCustodyKeyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CustodyKeyDto> {
    return this.custody.registerKey(principal, body);
  }

  @Get('signature-requests')
  @ApiOperation({
    summary: 'Handoffs waiting for your custody key (with their EIP-712 typed data), oldest first',
  })
  @ApiQuery({ name: 'all', required: false, type: Boolean, description: 'include settled requests' })
  @ApiOkResponse({ type: SignatureRequestsDto })
  requests(
    @CurrentPrincipal() principal: Principal,
    @Query('all', new ParseBoolPipe({ optional: true })) all?: boolean,
  ): Promise<SignatureRequestsDto> {
    return this.custody.requests(principal, all ?? false);
  }

  @Post('signature-requests/:id/signature')
  @HttpCode(200)
  @ApiOperation({
    summary: "Give a handoff your custody key's signature; the ledger relays it to CustodyLedger",
  })
  @ApiOkResponse({ type: SignatureRequestDto })
  sign(
    @Param('id') id: string,
    @Body() body: CustodySignatureDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SignatureRequestDto> {
    return this.custody.sign(principal, id, body.signature);
  }
}
