import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { LotProvenanceResponse } from './dto/lot-provenance.response';
import { ProvenanceResponse } from './dto/provenance.response';
import { LotProvenanceService } from './lot-provenance.service';
import { ProvenanceService } from './provenance.service';

@ApiTags('provenance')
@ApiBearerAuth()
@Controller('v1/provenance')
export class ProvenanceController {
  constructor(
    private readonly provenance: ProvenanceService,
    private readonly lots: LotProvenanceService,
  ) {}

  /** Declared before `*epc`, which would otherwise take the path. */
  @Get('01/:gtin/10/:lot')
  @ApiOperation({
    summary: 'Every pack of a lot: where it is and its state (a lot check, a recall)',
    description:
      "The path is the lot's GS1 Digital Link path (/01/{gtin}/10/{lot}). Regulators and the manufacturer see the " +
      'whole lot; another member sees the packs it holds or has handled.',
  })
  @ApiParam({ name: 'gtin', example: '04012345123456' })
  @ApiParam({ name: 'lot', example: 'LOT2611A' })
  @ApiOkResponse({ type: LotProvenanceResponse })
  lot(
    @Param('gtin') gtin: string,
    @Param('lot') lot: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LotProvenanceResponse> {
    return this.lots.lot(gtin, lot, principal);
  }

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
  @ApiQuery({
    name: 'stateRoot',
    required: false,
    description:
      'prove the state against this root instead of the latest the API has read: an auditor reads EventAnchor.latestState() first and asks for proofs against exactly that root (the state moves every few seconds)',
    example: '0x5c1d…',
  })
  @ApiOkResponse({ type: ProvenanceResponse })
  get(
    @Param('epc') epc: string | string[],
    @Query('include') include: string | undefined,
    @Query('stateRoot') stateRoot: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProvenanceResponse> {
    const identifier = Array.isArray(epc) ? epc.join('/') : epc;
    if (stateRoot !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(stateRoot)) {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        'stateRoot must be a 32-byte hex string (0x followed by 64 hex digits).',
        { field: 'stateRoot' },
      );
    }
    // Express has already percent-decoded each path segment.
    return this.provenance.provenance(identifier, principal, include === 'events', stateRoot);
  }
}
