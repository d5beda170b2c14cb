import { Injectable } from '@nestjs/common';
import type { NamedQueryEntity } from '@pedigree/database';
import { type Principal, readsEverything } from '../auth/principal';
import { type QueryParams, queryError } from '../events-query/event-query.parser';
import { EventsQueryService } from '../events-query/events-query.service';
import type { CreateNamedQueryDto, NamedQueryResponse } from './dto/queries.dto';
import { NamedQueriesRepository } from './named-queries.repository';
import { QueriesErrorCode, QueriesException } from './queries.exception';

/** Named queries belong to an organisation: each member has its own names, and sees only its own queries. */
export function organisationOf(principal: Principal): string {
  if (!principal.organisationId)
    throw new QueriesException(
      QueriesErrorCode.NO_ORGANISATION,
      'Named queries and subscriptions belong to a member organisation; call with one of its API keys.',
    );
  return principal.organisationId;
}

const toResponse = (row: NamedQueryEntity): NamedQueryResponse => ({
  name: row.name,
  query: row.query,
  createdAt: new Date(row.createdAt).toISOString(),
});

@Injectable()
export class NamedQueriesService {
  constructor(
    private readonly repository: NamedQueriesRepository,
    private readonly events: EventsQueryService,
  ) {}

  async create(principal: Principal, dto: CreateNamedQueryDto): Promise<NamedQueryResponse> {
    const organisationId = organisationOf(principal);
    await this.events.validate(dto.query as QueryParams);
    const row = {
      organisationId,
      name: dto.name,
      query: dto.query,
      readsEverything: readsEverything(principal),
    };
    if (!(await this.repository.insert(row)))
      throw new QueriesException(
        QueriesErrorCode.QUERY_EXISTS,
        `A query named ${dto.name} exists already.`,
        'name',
      );
    return toResponse({ ...row, createdAt: new Date() });
  }

  async list(principal: Principal): Promise<NamedQueryResponse[]> {
    return (await this.repository.list(organisationOf(principal))).map(toResponse);
  }

  async get(principal: Principal, name: string): Promise<NamedQueryResponse> {
    return toResponse(await this.find(organisationOf(principal), name));
  }

  async find(organisationId: string, name: string): Promise<NamedQueryEntity> {
    const row = await this.repository.get(organisationId, name);
    if (!row)
      throw new QueriesException(
        QueriesErrorCode.QUERY_NOT_FOUND,
        `No query named ${name.slice(0, 100)}.`,
        'queryName',
      );
    return row;
  }

  async delete(principal: Principal, name: string): Promise<void> {
    if (!(await this.repository.delete(organisationOf(principal), name)))
      throw new QueriesException(
        QueriesErrorCode.QUERY_NOT_FOUND,
        `No query named ${name.slice(0, 100)}.`,
        'queryName',
      );
  }

  /** The saved query's parameters with the request's paging; other parameters belong in the saved query. */
  async paramsFor(principal: Principal, name: string, paging: QueryParams): Promise<QueryParams> {
    const row = await this.find(organisationOf(principal), name);
    for (const key of Object.keys(paging)) {
      if (key !== 'perPage' && key !== 'nextPageToken')
        throw queryError(
          key,
          `${key.slice(0, 60)}: a named query's events take only perPage and nextPageToken; change the query instead.`,
        );
    }
    return { ...(row.query as QueryParams), ...paging };
  }
}
