import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { EventsQueryDto } from './dto/events-query.dto';
import { EventsQueryService } from './events-query.service';

@ApiTags('epcis query')
@ApiBearerAuth()
@Controller('epcis/v2/events')
export class EventsQueryController {
  constructor(private readonly events: EventsQueryService) {}

  @Get()
  @ApiOperation({
    summary:
      'Query events (EPCIS 2.0 SimpleEventQuery parameters); paged with nextPageToken in the Link header',
  })
  async query(
    @Query() query: EventsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const page = await this.events.query(query, principal);
    if (page.nextPageToken) {
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.set('nextPageToken', page.nextPageToken);
      res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
    }
    res.type('application/ld+json');
    res.setHeader('GS1-EPCIS-Version', '2.0.0');
    return page.document;
  }

  @Get(':eventID')
  @ApiOperation({ summary: 'One event by its eventID or its CBV 2.0 Event Hash ID' })
  async one(
    @Param('eventID') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    res.type('application/ld+json');
    return this.events.byId(id, principal);
  }
}
