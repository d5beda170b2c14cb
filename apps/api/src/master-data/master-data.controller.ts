import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { MasterDataResponse } from './dto/master-data.response';
import { MasterDataService } from './master-data.service';

@ApiTags('master data')
@ApiBearerAuth()
@Controller('v1/master-data')
export class MasterDataController {
  constructor(private readonly masterData: MasterDataService) {}

  /** `*id` so that a GS1 Digital Link can be given as is, slashes and all. */
  @Get('*id')
  @ApiOperation({
    summary: 'What EPCIS master data says about a product class or a location',
    description:
      'Captured from the header of EPCIS documents (JSON epcisHeader.epcisMasterData, or the XML header: send a ' +
      'document with master data and an empty event list to POST /epcis/v2/capture). The owner of the identifier ' +
      '(its company prefix or GLN) is authoritative; what other members stated is listed as theirs.',
  })
  @ApiParam({ name: 'id', example: 'urn:epc:idpat:sgtin:4012345.012345.*' })
  @ApiOkResponse({ type: MasterDataResponse })
  get(@Param('id') id: string | string[]): Promise<MasterDataResponse> {
    return this.masterData.describe(Array.isArray(id) ? id.join('/') : id);
  }
}
