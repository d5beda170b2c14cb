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
      'Captured from EPCISMasterDataDocuments (XML 2.0 or 1.2, or JSON with epcisBody.vocabularyList) and from the ' +
      'header of EPCIS documents (JSON epcisHeader.epcisMasterData, or the XML header), sent to POST ' +
      '/epcis/v2/capture, Kafka or `pedigree publish`. The owner of the identifier (its company prefix or GLN) is ' +
      'authoritative; what other members stated is listed as theirs.',
  })
  @ApiParam({ name: 'id', example: 'urn:epc:idpat:sgtin:4012345.012345.*' })
  @ApiOkResponse({ type: MasterDataResponse })
  get(@Param('id') id: string | string[]): Promise<MasterDataResponse> {
    return this.masterData.describe(Array.isArray(id) ? id.join('/') : id);
  }
}
