import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import {
  EPCIS_CONTEXT_URL,
  type EpcFormat,
  parseEpcisDateTime,
  translateEventIdentifiers,
} from '@pedigree/epcis';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import { type Principal, readsEverything } from '../auth/principal';
import { IdentifierResolverService } from '../identifiers/identifier-resolver.service';
import {
  type EventQuery,
  type IdentifierField,
  parseEventQuery,
  type QueryParams,
  queryError,
} from './event-query.parser';
import {
  type EventFilter,
  type EventOrder,
  EventsQueryRepository,
  type IdentifierForms,
  type RowCursor,
  type StoredEvent,
} from './events-query.repository';

const DEFAULT_PER_PAGE = 30;
const NO_ORGANISATION = '00000000-0000-0000-0000-000000000000';

export interface QueryPage {
  document: Record<string, unknown>;
  nextPageToken?: string;
}

/** Whose events a query may see: one publisher's, or every publisher's. */
export interface QueryScope {
  publisherOrgId?: string;
}

/** Where a page starts, and how many events earlier pages returned (for eventCountLimit). */
interface PageToken {
  order: EventOrder;
  after: RowCursor;
  returned: number;
}

export function scopeOf(principal: Principal): QueryScope {
  return readsEverything(principal) ? {} : { publisherOrgId: principal.organisationId ?? NO_ORGANISATION };
}

/** EPCIS 2.0 event query over the stored events, answered as an EPCISQueryDocument. */
@Injectable()
export class EventsQueryService {
  constructor(
    private readonly repository: EventsQueryRepository,
    private readonly identifiers: IdentifierResolverService,
  ) {}

  async query(
    params: QueryParams,
    principal: Principal,
    format: EpcFormat = 'No_Preference',
    queryName = 'SimpleEventQuery',
  ): Promise<QueryPage> {
    const query = parseEventQuery(params);
    const filter = await this.filterOf(query, scopeOf(principal));
    const order: EventOrder = {
      column: query.orderBy === 'recordTime' ? 'record_time' : 'event_time',
      direction: query.orderDirection,
    };
    const token = query.nextPageToken ? this.decodeToken(query.nextPageToken, order) : undefined;
    if (!token && query.maxEventCount !== undefined) await this.checkMax(filter, query.maxEventCount);
    const perPage = query.perPage ?? DEFAULT_PER_PAGE;
    const returned = token?.returned ?? 0;
    const want = Math.min(perPage, (query.eventCountLimit ?? Infinity) - returned);
    const rows =
      want <= 0 ? [] : await this.repository.find({ ...filter, order, after: token?.after, limit: want + 1 });
    const page = rows.slice(0, Math.max(want, 0));
    const last = page[page.length - 1];
    const more =
      rows.length > page.length &&
      last !== undefined &&
      returned + page.length < (query.eventCountLimit ?? Infinity);
    return {
      document: this.queryDocument(page, await this.identifiers.translator(format), queryName),
      nextPageToken: more
        ? this.encodeToken({ order, after: this.cursorOf(last, order), returned: returned + page.length })
        : undefined,
    };
  }

  /** Checks a query's parameters without running it (a named query is validated when it is saved). */
  async validate(params: QueryParams): Promise<void> {
    const query = parseEventQuery(params);
    if (query.nextPageToken !== undefined)
      throw queryError('nextPageToken', 'A saved query cannot hold a nextPageToken.');
    await this.resolveIdentifiers(query);
  }

  /**
   * The next events a subscription has not had, in commit order after its cursor, up to `limit`. Only events of
   * transactions that can no longer commit behind the cursor are returned, so advancing it never skips one.
   */
  async afterCommit(
    params: QueryParams,
    scope: QueryScope,
    cursor: RowCursor,
    limit: number,
  ): Promise<StoredEvent[]> {
    const query = parseEventQuery(params);
    const filter = await this.filterOf(query, scope);
    return this.repository.find({
      ...filter,
      order: { column: 'commit_tx', direction: 'ASC' },
      after: cursor,
      limit,
    });
  }

  commitHorizon(): Promise<string> {
    return this.repository.commitHorizon();
  }

  async byId(
    id: string,
    principal: Principal,
    format: EpcFormat = 'No_Preference',
  ): Promise<Record<string, unknown>> {
    const event = await this.repository.byId(id, scopeOf(principal).publisherOrgId);
    if (!event)
      throw new CommonError(CommonErrorCode.NOT_FOUND, `No event ${id} visible to your organisation.`, {
        field: 'eventID',
      });
    return this.queryDocument([event], await this.identifiers.translator(format));
  }

  queryDocument(
    events: StoredEvent[],
    translate?: (id: string) => string,
    queryName = 'SimpleEventQuery',
    subscriptionID?: string,
  ): Record<string, unknown> {
    return {
      '@context': [EPCIS_CONTEXT_URL],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        queryResults: {
          queryName,
          ...(subscriptionID ? { subscriptionID } : {}),
          resultsBody: {
            eventList: events.map((e) =>
              translate ? translateEventIdentifiers(e.payload, translate) : e.payload,
            ),
          },
        },
      },
    };
  }

  private async filterOf(
    query: EventQuery,
    scope: QueryScope,
  ): Promise<Omit<EventFilter, 'order' | 'limit'>> {
    return { query, identifiers: await this.resolveIdentifiers(query), publisherOrgId: scope.publisherOrgId };
  }

  private async checkMax(filter: Omit<EventFilter, 'order' | 'limit'>, max: number): Promise<void> {
    const count = await this.repository.countUpTo(filter, max + 1);
    if (count > max)
      throw new CommonError(
        CommonErrorCode.PAYLOAD_TOO_LARGE,
        `More than maxEventCount (${max}) events match (QueryTooLargeException); narrow the query or page it.`,
        { field: 'maxEventCount' },
      );
  }

  private async resolveIdentifiers(
    query: EventQuery,
  ): Promise<Partial<Record<IdentifierField, IdentifierForms>>> {
    const resolved: Partial<Record<IdentifierField, IdentifierForms>> = {};
    for (const [field, values] of Object.entries(query.identifiers) as [IdentifierField, string[]][]) {
      resolved[field] = await this.epcForms(values, `MATCH_${field}`);
    }
    return resolved;
  }

  /** EPC URNs (what is indexed) and both spellings (what the payload may hold) of the requested identifiers. */
  private async epcForms(values: string[], field: string): Promise<IdentifierForms> {
    const urns = await Promise.all(values.map((v) => this.identifiers.toEpcUrn(v, field)));
    const links = urns.map((u) => {
      try {
        return epcUrnToDigitalLink(u);
      } catch {
        return u;
      }
    });
    return { urns, anyForm: [...new Set([...values, ...urns, ...links])] };
  }

  private cursorOf(event: StoredEvent, order: EventOrder): RowCursor {
    const value =
      order.column === 'commit_tx'
        ? event.commitTx
        : (order.column === 'record_time' ? event.recordTime : event.eventTime).toISOString();
    return { value, hash: event.digest.toString('hex') };
  }

  private encodeToken(token: PageToken): string {
    const { order, after, returned } = token;
    return Buffer.from(
      JSON.stringify({ o: order.column, d: order.direction, v: after.value, h: after.hash, n: returned }),
    ).toString('base64url');
  }

  /** A token from this server, for the same order: one from another ordering would skip or repeat events. */
  private decodeToken(token: string, order: EventOrder): PageToken {
    let parsed: { o?: unknown; d?: unknown; v?: unknown; h?: unknown; n?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      parsed = {};
    }
    const valid =
      typeof parsed.v === 'string' &&
      parseEpcisDateTime(parsed.v) !== undefined &&
      typeof parsed.h === 'string' &&
      /^[0-9a-f]{64}$/.test(parsed.h) &&
      typeof parsed.n === 'number' &&
      Number.isInteger(parsed.n) &&
      parsed.n >= 0;
    if (!valid) throw queryError('nextPageToken', 'nextPageToken is not a token this server issued.');
    if (parsed.o !== order.column || parsed.d !== order.direction)
      throw queryError(
        'nextPageToken',
        'nextPageToken belongs to a query with another orderBy or orderDirection.',
      );
    return {
      order,
      after: { value: parsed.v as string, hash: parsed.h as string },
      returned: parsed.n as number,
    };
  }
}
