import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { compactCbv, EPCIS_CONTEXT_URL, type EpcFormat, translateEventIdentifiers } from '@pedigree/epcis';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import { type Principal, readsEverything } from '../auth/principal';
import { IdentifierResolverService } from '../identifiers/identifier-resolver.service';
import type { EventsQueryDto } from './dto/events-query.dto';
import { type EventFilter, EventsQueryRepository, type StoredEvent } from './events-query.repository';

const split = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);

export interface QueryPage {
  document: Record<string, unknown>;
  nextPageToken?: string;
}

/** EPCIS 2.0 event query over the stored events, answered as an EPCISQueryDocument. */
@Injectable()
export class EventsQueryService {
  constructor(
    private readonly repository: EventsQueryRepository,
    private readonly identifiers: IdentifierResolverService,
  ) {}

  async query(
    query: EventsQueryDto,
    principal: Principal,
    format: EpcFormat = 'No_Preference',
  ): Promise<QueryPage> {
    const perPage = query.perPage ?? 30;
    const filter: EventFilter = {
      eventTypes: split(query.eventType),
      bizSteps: split(query.EQ_bizStep)?.map((v) => compactCbv('bizStep', v)),
      dispositions: split(query.EQ_disposition)?.map((v) => compactCbv('disposition', v)),
      matchEpc:
        query.MATCH_epc === undefined ? undefined : await this.epcForms(split(query.MATCH_epc)!, 'MATCH_epc'),
      matchAnyEpc:
        query.MATCH_anyEPC === undefined
          ? undefined
          : (await this.epcForms(split(query.MATCH_anyEPC)!, 'MATCH_anyEPC')).urns,
      matchEpcClass: split(query.MATCH_epcClass),
      geEventTime: query.GE_eventTime,
      ltEventTime: query.LT_eventTime,
      geRecordTime: query.GE_recordTime,
      ltRecordTime: query.LT_recordTime,
      bizLocations: split(query.EQ_bizLocation),
      readPoints: split(query.EQ_readPoint),
      publisherOrgId: readsEverything(principal)
        ? undefined
        : (principal.organisationId ?? '00000000-0000-0000-0000-000000000000'),
      after: query.nextPageToken ? this.decodeToken(query.nextPageToken) : undefined,
      limit: perPage + 1,
    };
    const rows = await this.repository.find(filter);
    const page = rows.slice(0, perPage);
    const last = page[page.length - 1];
    return {
      document: this.queryDocument(page, await this.identifiers.translator(format)),
      nextPageToken:
        rows.length > perPage && last
          ? Buffer.from(
              JSON.stringify({ t: last.eventTime.toISOString(), h: last.digest.toString('hex') }),
            ).toString('base64url')
          : undefined,
    };
  }

  async byId(
    id: string,
    principal: Principal,
    format: EpcFormat = 'No_Preference',
  ): Promise<Record<string, unknown>> {
    const event = await this.repository.byId(
      id,
      readsEverything(principal) ? undefined : principal.organisationId,
    );
    if (!event)
      throw new CommonError(CommonErrorCode.NOT_FOUND, `No event ${id} visible to your organisation.`, {
        field: 'eventID',
      });
    return this.queryDocument([event], await this.identifiers.translator(format));
  }

  private queryDocument(events: StoredEvent[], translate?: (id: string) => string): Record<string, unknown> {
    return {
      '@context': [EPCIS_CONTEXT_URL],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        queryResults: {
          queryName: 'SimpleEventQuery',
          resultsBody: {
            eventList: events.map((e) =>
              translate ? translateEventIdentifiers(e.payload, translate) : e.payload,
            ),
          },
        },
      },
    };
  }

  /** EPC URNs (what is indexed) and both spellings (what the payload may hold) of the requested identifiers. */
  private async epcForms(values: string[], field: string): Promise<{ urns: string[]; anyForm: string[] }> {
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

  private decodeToken(token: string): { eventTime: string; hash: string } {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        t: unknown;
        h: unknown;
      };
      if (typeof parsed.t !== 'string' || typeof parsed.h !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.h))
        throw new Error('shape');
      return { eventTime: parsed.t, hash: parsed.h };
    } catch {
      throw new CommonError(
        CommonErrorCode.VALIDATION_FAILED,
        'nextPageToken is not a token this server issued.',
        { field: 'nextPageToken' },
      );
    }
  }
}
