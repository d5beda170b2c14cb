import { Injectable } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { type Principal, readsEverything } from '../auth/principal';
import { AlertsErrorCode, AlertsException } from './alerts.exception';
import { AlertsRepository } from './alerts.repository';
import type {
  AlertDetailDto,
  AlertDto,
  AlertsPageDto,
  AlertsQueryDto,
  AlertsSummaryDto,
} from './dto/alerts.dto';
import { IdentifierNamesService } from '../master-data/identifier-names.service';
import { LiveFeedService } from '../stream/live-feed.service';

/** A detail names at most this many of its packs (shipment alerts may list hundreds of one product). */
const NAMED_PACKS = 50;

@Injectable()
export class AlertsService {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly live: LiveFeedService,
    private readonly config: PedigreeConfig,
    private readonly names: IdentifierNamesService,
  ) {}

  async list(query: AlertsQueryDto, principal: Principal): Promise<AlertsPageDto> {
    let after: { updatedAt: string; id: string } | undefined;
    if (query.cursor) {
      try {
        after = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as {
          updatedAt: string;
          id: string;
        };
        if (typeof after.updatedAt !== 'string' || typeof after.id !== 'string') throw new Error('shape');
      } catch {
        throw new AlertsException(
          AlertsErrorCode.BAD_CURSOR,
          'cursor is not a nextCursor this API returned',
          'cursor',
        );
      }
    }
    const limit = query.limit ?? 50;
    const rows = await this.repository.list(query, this.scope(principal), after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify({ updatedAt: last.updatedAt, id: last.id })).toString('base64url')
          : null,
      names: await this.names.namesOf(
        items.flatMap((a) => [a.gtin, a.epcs[0]]),
        principal,
      ),
    };
  }

  async summary(principal: Principal): Promise<AlertsSummaryDto> {
    const groups = await this.repository.summary(this.scope(principal));
    return { unresolved: groups.reduce((n, g) => n + g.open + g.acknowledged, 0), groups };
  }

  async detail(id: string, principal: Principal): Promise<AlertDetailDto> {
    const { orgIds: _, ...alert } = await this.visible(id, principal);
    const events = await this.repository.events(alert.evidence.eventHashes);
    const names = await this.names.namesOf(
      [alert.gtin, ...alert.epcs.slice(0, NAMED_PACKS), ...events.map((e) => e.bizLocation)],
      principal,
    );
    return { ...alert, events, names };
  }

  async act(
    id: string,
    action: 'acknowledge' | 'resolve',
    comment: string,
    principal: Principal,
  ): Promise<AlertDto> {
    const alert = await this.visible(id, principal);
    if (action === 'resolve') await this.assertResolver(alert, principal);
    const to = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    if (alert.status === 'resolved' || (alert.status === 'acknowledged' && to === 'acknowledged')) {
      throw new AlertsException(AlertsErrorCode.INVALID_TRANSITION, `The alert is already ${alert.status}.`);
    }
    const by = principal.organisationName
      ? `${principal.organisationName} (${principal.role}, ${principal.organisationId})`
      : 'consortium admin';
    const updated = await this.repository.transition(id, to, {
      at: new Date().toISOString(),
      by,
      action,
      text: comment,
    });
    // The response carries no organisation list; it is an internal visibility field.
    if (!updated) throw new AlertsException(AlertsErrorCode.NOT_FOUND, `No alert ${id}.`, 'id');
    this.live.publishAlert({ ...updated, orgIds: alert.orgIds });
    return updated;
  }

  /**
   * Who may close a counterfeit alert: the consortium admin, or a member whose role is one of ALERT_RESOLVER_ROLES
   * (manufacturers and regulators by default) and whose own events are not the evidence. A suspect may comment
   * (acknowledge) but never resolve: resolving is what lets a flagged pack verify again.
   */
  private async assertResolver(alert: AlertDto, principal: Principal): Promise<void> {
    if (principal.role === 'admin') return;
    if (!this.config.alertResolverRoles.includes(principal.role)) {
      throw new AlertsException(
        AlertsErrorCode.NOT_A_RESOLVER,
        `A ${principal.role} may comment on an alert but not resolve it; resolution is for ${this.config.alertResolverRoles.join(', ')}.`,
      );
    }
    const suspects = await this.repository.publishersOf(alert.evidence.eventHashes);
    if (principal.organisationId && suspects.has(principal.organisationId)) {
      throw new AlertsException(
        AlertsErrorCode.NOT_A_RESOLVER,
        'Your organisation published the evidence this alert is about; it may comment, and another party resolves it.',
      );
    }
  }

  private scope(principal: Principal): string | undefined {
    return readsEverything(principal)
      ? undefined
      : (principal.organisationId ?? '00000000-0000-0000-0000-000000000000');
  }

  private async visible(id: string, principal: Principal): Promise<AlertDto & { orgIds: string[] }> {
    const alert = await this.repository.find(id);
    const scope = this.scope(principal);
    if (!alert || (scope && !alert.orgIds.includes(scope))) {
      throw new AlertsException(
        AlertsErrorCode.NOT_FOUND,
        `No alert ${id} visible to your organisation.`,
        'id',
      );
    }
    return alert;
  }
}
