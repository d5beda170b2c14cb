import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import {
  EPC_FORMATS,
  type EpcFormat,
  EpcisXmlWriteError,
  isEpcFormat,
  writeEpcisQueryXml,
} from '@pedigree/epcis';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ApiEventQuery, PATTERNED_PARAMETERS } from './event-query.openapi';
import type { QueryParams } from './event-query.parser';
import { EventsQueryService } from './events-query.service';

export const EPC_FORMAT_HEADER = {
  name: 'GS1-EPC-Format',
  required: false,
  enum: [...EPC_FORMATS],
  description: 'how identifiers are written in the answer (EPC URN or GS1 Digital Link); default as captured',
};

@ApiTags('epcis query')
@ApiBearerAuth()
@Controller('epcis/v2/events')
export class EventsQueryController {
  constructor(private readonly events: EventsQueryService) {}

  @Get()
  @ApiHeader(EPC_FORMAT_HEADER)
  @ApiEventQuery()
  @ApiOperation({
    summary:
      'Query events (EPCIS 2.0 SimpleEventQuery parameters); paged with nextPageToken in the Link header',
    description: PATTERNED_PARAMETERS,
  })
  query(
    @Query() query: QueryParams,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown> | string> {
    return answerQuery(this.events, query, principal, req, res);
  }

  @Get(':eventID')
  @ApiHeader(EPC_FORMAT_HEADER)
  @ApiOperation({ summary: 'One event by its eventID or its CBV 2.0 Event Hash ID' })
  async one(
    @Param('eventID') id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const format = epcFormat(req.headers['gs1-epc-format']);
    res.setHeader('GS1-EPC-Format', format);
    return negotiated(await this.events.byId(id, principal, format), req, res);
  }
}

/** An event query answered as the REST binding says: paged by the Link header, identifiers as the client asked. */
export async function answerQuery(
  events: EventsQueryService,
  query: QueryParams,
  principal: Principal,
  req: Request,
  res: Response,
  queryName?: string,
): Promise<Record<string, unknown> | string> {
  const format = epcFormat(req.headers['gs1-epc-format']);
  const page = await events.query(query, principal, format, queryName);
  if (page.nextPageToken) {
    const url = new URL(req.originalUrl, 'http://placeholder');
    url.searchParams.set('nextPageToken', page.nextPageToken);
    res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  res.setHeader('GS1-EPCIS-Version', '2.0.0');
  res.setHeader('GS1-EPC-Format', format);
  return negotiated(page.document, req, res);
}

const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * The answer in the client's format (`Accept`, EPCIS 2.0 REST binding): JSON-LD by default and for `*\/*`, the EPCIS
 * 2.0 XML query document (`epcisq:EPCISQueryDocument`) when XML is preferred. A type we cannot give gets JSON-LD.
 */
export function negotiated(
  document: Record<string, unknown>,
  req: Request,
  res: Response,
): Record<string, unknown> | string {
  const type = req.accepts(['application/ld+json', 'application/json', ...XML_TYPES]);
  res.vary('Accept');
  if (type && XML_TYPES.includes(type)) {
    const xml = toXml(document);
    res.type(type);
    return xml;
  }
  res.type(type === 'application/json' ? 'application/json' : 'application/ld+json');
  return document;
}

/** Some JSON-LD has no XML form (an extension event type, a nested list): the client is told which field, not 500. */
function toXml(document: Record<string, unknown>): string {
  try {
    return writeEpcisQueryXml(document);
  } catch (error) {
    if (!(error instanceof EpcisXmlWriteError)) throw error;
    throw new CommonError(
      CommonErrorCode.NOT_ACCEPTABLE,
      `These events cannot be written as EPCIS 2.0 XML: ${error.message} Ask for application/ld+json.`,
      { field: error.field },
    );
  }
}

/** The `GS1-EPC-Format` request header (EPCIS 2.0 §12.3): absent means No_Preference. */
export function epcFormat(header: string | string[] | undefined): EpcFormat {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return 'No_Preference';
  if (isEpcFormat(value)) return value;
  throw new CommonError(
    CommonErrorCode.VALIDATION_FAILED,
    `GS1-EPC-Format must be one of ${EPC_FORMATS.join(', ')}; got "${value.slice(0, 40)}".`,
    { field: 'GS1-EPC-Format' },
  );
}
