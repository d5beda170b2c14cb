import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ProvenanceResponse } from './dto/provenance.response';
import { ProvenanceService } from './provenance.service';

@ApiTags('provenance')
@ApiBearerAuth()
@Controller('v1/provenance')
export class ProvenanceController {
  constructor(private readonly provenance: ProvenanceService) {}

  /** `*epc` so that a GS1 Digital Link can be given as is, slashes and all. */
  @Get('*epc')
  @ApiOperation({
    summary: 'Chain of custody of a pack, each hop checked against the chain',
    description:
      'The identifier is an EPC URN (urn:epc:id:sgtin:…) or a GS1 Digital Link (https://id.gs1.org/01/…/21/…), ' +
      'raw or URL-encoded. Each hop carries its event, on-chain anchor (transaction, block, Merkle proof), custody ' +
      'handoff, and the result of recomputing its hash and checking the proof against the root on the chain.',
  })
  @ApiParam({ name: 'epc', example: 'urn:epc:id:sgtin:4012345.012345.1001' })
  @ApiQuery({ name: 'include', required: false, enum: ['events'], description: 'include each stored event' })
  @ApiOkResponse({ type: ProvenanceResponse })
  get(
    @Param('epc') epc: string | string[],
    @Query('include') include: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProvenanceResponse> {
    const identifier = Array.isArray(epc) ? epc.join('/') : epc;
    // Express has already percent-decoded each path segment.
    return this.provenance.provenance(identifier, principal, include === 'events');
  }
}
