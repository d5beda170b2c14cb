import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import type { QuerySubscriptionEntity } from '@pedigree/database';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { EventsQueryService } from '../events-query/events-query.service';
import type { CreateSubscriptionDto, SubscriptionResponse } from './dto/queries.dto';
import { NamedQueriesService, organisationOf } from './named-queries.service';
import { QueriesErrorCode, QueriesException } from './queries.exception';
import { cronOf, nextRun } from './query-schedule';
import { SubscriptionsRepository } from './subscriptions.repository';
import { checkDestination } from './webhook-destination.policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (value: Date | string | null) => (value === null ? undefined : new Date(value).toISOString());

const toResponse = (row: QuerySubscriptionEntity): SubscriptionResponse => ({
  subscriptionID: row.id,
  queryName: row.queryName,
  dest: row.dest,
  reportIfEmpty: row.reportIfEmpty,
  stream: row.stream,
  ...(row.schedule ? { schedule: row.schedule } : {}),
  initialRecordTime: iso(row.initialRecordTime),
  signed: row.signatureToken !== null,
  deliveredEvents: Number(row.deliveredEvents),
  lastDeliveredAt: iso(row.lastDeliveredAt),
  failures: row.failures,
  lastError: row.lastError ?? undefined,
  nextAttemptAt: new Date(row.nextAttemptAt).toISOString(),
  createdAt: new Date(row.createdAt).toISOString(),
});

/** EPCIS 2.0 webhook subscriptions to a member's named queries (§12.6). */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repository: SubscriptionsRepository,
    private readonly queries: NamedQueriesService,
    private readonly events: EventsQueryService,
    private readonly config: PedigreeConfig,
  ) {}

  async create(
    principal: Principal,
    queryName: string,
    dto: CreateSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    const organisationId = organisationOf(principal);
    await this.queries.find(organisationId, queryName);
    const stream = dto.stream === true;
    if (stream === (dto.schedule !== undefined))
      throw new QueriesException(
        QueriesErrorCode.SCHEDULE_INVALID,
        'A subscription has either stream: true or a schedule, not both and not neither.',
        'schedule',
      );
    const schedule = dto.schedule ? { ...dto.schedule } : null;
    if (schedule) cronOf(schedule);
    const dest = checkDestination(dto.dest, this.config.subscriptionPrivateDestinations).toString();
    const now = new Date();
    const row = {
      id: randomUUID(),
      organisationId,
      queryName,
      dest,
      signatureToken: dto.signatureToken ?? null,
      reportIfEmpty: dto.reportIfEmpty ?? false,
      stream,
      schedule,
      initialRecordTime: dto.initialRecordTime ? new Date(dto.initialRecordTime) : null,
      // With an initial record time, from the start of the commit order (filtered by record time); else from now.
      cursorTx: dto.initialRecordTime ? '0' : await this.events.commitHorizon(),
      nextAttemptAt: schedule ? nextRun(schedule, now) : now,
    };
    await this.repository.insert(row);
    return toResponse({
      ...row,
      cursorHash: null,
      leaseUntil: null,
      failures: 0,
      lastError: null,
      lastDeliveredAt: null,
      deliveredEvents: '0',
      createdAt: now,
    });
  }

  async list(principal: Principal, queryName: string): Promise<SubscriptionResponse[]> {
    const organisationId = organisationOf(principal);
    await this.queries.find(organisationId, queryName);
    return (await this.repository.list(organisationId, queryName)).map(toResponse);
  }

  async get(principal: Principal, queryName: string, id: string): Promise<SubscriptionResponse> {
    if (!UUID.test(id)) throw notFound(id);
    const row = await this.repository.get(organisationOf(principal), queryName, id);
    if (!row) throw notFound(id);
    return toResponse(row);
  }

  async delete(principal: Principal, queryName: string, id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.repository.delete(organisationOf(principal), queryName, id)))
      throw notFound(id);
  }
}

function notFound(id: string): QueriesException {
  return new QueriesException(
    QueriesErrorCode.SUBSCRIPTION_NOT_FOUND,
    `No subscription ${id.slice(0, 60)} on that query.`,
    'subscriptionID',
  );
}
