import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { answerQuery, EPC_FORMAT_HEADER } from '../events-query/events-query.controller';
import type { QueryParams } from '../events-query/event-query.parser';
import { EventsQueryService } from '../events-query/events-query.service';
import {
  CreateNamedQueryDto,
  CreateSubscriptionDto,
  NamedQueryResponse,
  SubscriptionResponse,
} from './dto/queries.dto';
import { NamedQueriesService } from './named-queries.service';
import { SubscriptionsService } from './subscriptions.service';

/** EPCIS 2.0 named queries and their subscriptions (REST binding §12.5–12.6), in the caller's organisation. */
@ApiTags('epcis query')
@ApiBearerAuth()
@Controller('epcis/v2/queries')
export class QueriesController {
  constructor(
    private readonly queries: NamedQueriesService,
    private readonly subscriptions: SubscriptionsService,
    private readonly events: EventsQueryService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Save a query under a name (its parameters are checked now, as GET /events would)',
  })
  @ApiCreatedResponse({ type: NamedQueryResponse })
  async create(
    @Body() dto: CreateNamedQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<NamedQueryResponse> {
    const created = await this.queries.create(principal, dto);
    res.setHeader('Location', `/epcis/v2/queries/${encodeURIComponent(created.name)}`);
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'Your organisation’s named queries' })
  @ApiOkResponse({ type: [NamedQueryResponse] })
  list(@CurrentPrincipal() principal: Principal): Promise<NamedQueryResponse[]> {
    return this.queries.list(principal);
  }

  @Get(':queryName')
  @ApiOkResponse({ type: NamedQueryResponse })
  get(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NamedQueryResponse> {
    return this.queries.get(principal, name);
  }

  @Delete(':queryName')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a named query and its subscriptions' })
  delete(@Param('queryName') name: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.queries.delete(principal, name);
  }

  @Get(':queryName/events')
  @ApiHeader(EPC_FORMAT_HEADER)
  @ApiOperation({
    summary: 'Run a named query now (paged like GET /events; takes perPage and nextPageToken)',
  })
  async namedQueryEvents(
    @Param('queryName') name: string,
    @Query() paging: QueryParams,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown> | string> {
    const params = await this.queries.paramsFor(principal, name, paging);
    return answerQuery(this.events, params, principal, req, res, name);
  }

  @Post(':queryName/subscriptions')
  @ApiOperation({
    summary:
      'Subscribe a webhook to a named query: stream (as events arrive) or on a schedule; at least once',
    description:
      'Results are POSTed as an EPCISQueryDocument carrying subscriptionID. With a signatureToken, each delivery ' +
      'has `GS1-Signature: sha256=<hex HMAC-SHA256 of the body>`. Only a 2xx answer advances the subscription; ' +
      'anything else is retried with backoff (1 s doubling, capped). `Pedigree-Delivery-ID` names the delivery.',
  })
  @ApiCreatedResponse({ type: SubscriptionResponse })
  async subscribe(
    @Param('queryName') name: string,
    @Body() dto: CreateSubscriptionDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionResponse> {
    const created = await this.subscriptions.create(principal, name, dto);
    res.setHeader(
      'Location',
      `/epcis/v2/queries/${encodeURIComponent(name)}/subscriptions/${created.subscriptionID}`,
    );
    return created;
  }

  @Get(':queryName/subscriptions')
  @ApiOkResponse({ type: [SubscriptionResponse] })
  subscriptionsOf(
    @Param('queryName') name: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubscriptionResponse[]> {
    return this.subscriptions.list(principal, name);
  }

  @Get(':queryName/subscriptions/:subscriptionID')
  @ApiOperation({
    summary: 'A subscription and its delivery state (delivered, failures, last error, next attempt)',
  })
  @ApiOkResponse({ type: SubscriptionResponse })
  subscription(
    @Param('queryName') name: string,
    @Param('subscriptionID') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubscriptionResponse> {
    return this.subscriptions.get(principal, name, id);
  }

  @Delete(':queryName/subscriptions/:subscriptionID')
  @HttpCode(204)
  unsubscribe(
    @Param('queryName') name: string,
    @Param('subscriptionID') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.subscriptions.delete(principal, name, id);
  }
}
