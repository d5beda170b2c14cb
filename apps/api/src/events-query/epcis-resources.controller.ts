import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { CBV_BIZ_STEPS, CBV_DISPOSITIONS, EPCIS_EVENT_TYPES } from '@pedigree/epcis';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiEventQuery } from './event-query.openapi';
import type { QueryParams } from './event-query.parser';
import { answerQuery, EPC_FORMAT_HEADER } from './events-query.controller';
import { EventsQueryService } from './events-query.service';

/** Which event query parameter each resource sets. */
const FILTER_OF = {
  eventTypes: 'eventType',
  epcs: 'MATCH_anyEPC',
  bizSteps: 'EQ_bizStep',
  bizLocations: 'EQ_bizLocation',
  readPoints: 'EQ_readPoint',
  dispositions: 'EQ_disposition',
} as const;

/**
 * The EPCIS 2.0 REST resources (§12.4): the vocabularies a client can browse, and each element's events as
 * `/{resource}/{id}/events`. Every one is the event query with one filter more, so it pages, filters and is scoped
 * exactly as `GET /events` is (the other query parameters still apply).
 */
@ApiTags('epcis query')
@ApiBearerAuth()
@Controller('epcis/v2')
export class EpcisResourcesController {
  constructor(private readonly events: EventsQueryService) {}

  @Get('eventTypes')
  @ApiOperation({ summary: 'The EPCIS event types' })
  eventTypes() {
    return { '@set': [...EPCIS_EVENT_TYPES] };
  }

  @Get('bizSteps')
  @ApiOperation({ summary: 'The CBV business steps (a URI of your own vocabulary is queried the same way)' })
  bizSteps() {
    return { '@set': [...CBV_BIZ_STEPS] };
  }

  @Get('dispositions')
  @ApiOperation({ summary: 'The CBV dispositions' })
  dispositions() {
    return { '@set': [...CBV_DISPOSITIONS] };
  }

  @Get(':resource/:id/events')
  @ApiHeader(EPC_FORMAT_HEADER)
  @ApiEventQuery()
  @ApiOperation({
    summary:
      'The events of one element of a resource (eventTypes, epcs, bizSteps, bizLocations, readPoints, dispositions)',
    description: 'An identifier with slashes (a GS1 Digital Link) is URL-encoded.',
  })
  @ApiParam({ name: 'resource', enum: Object.keys(FILTER_OF) })
  @ApiParam({ name: 'id', example: 'urn:epc:id:sgtin:4012345.012345.1001' })
  async resourceEvents(
    @Param('resource') resource: string,
    @Param('id') id: string,
    @Query() query: QueryParams,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown> | string> {
    const filter = FILTER_OF[resource as keyof typeof FILTER_OF];
    if (!filter) {
      throw new CommonError(
        CommonErrorCode.NOT_FOUND,
        `No EPCIS resource "${resource.slice(0, 40)}": one of ${Object.keys(FILTER_OF).join(', ')}.`,
        { field: 'resource' },
      );
    }
    return answerQuery(this.events, { ...query, [filter]: id }, principal, req, res);
  }
}
