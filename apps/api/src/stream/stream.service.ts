import { Injectable, type MessageEvent } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { filter, finalize, from, interval, map, merge, type Observable, startWith, switchMap } from 'rxjs';
import { type Principal, readsEverything } from '../auth/principal';
import { OverviewService } from '../stats/overview.service';
import { type Overview, StatsRepository } from '../stats/stats.repository';
import { LiveFeedService } from './live-feed.service';

const STATS_INTERVAL_MS = 3000;

/**
 * The live stream behind `/v1/stream`. Every connection of one scope (an organisation, or everything) shares one
 * statistics computation per tick, so a hundred open dashboards cost what one does on the pool verification uses;
 * and each key has a bounded number of streams open at once.
 */
@Injectable()
export class StreamService {
  private readonly shared = new Map<string, { at: number; overview: Promise<Overview> }>();
  private readonly open = new Map<string, number>();

  constructor(
    private readonly live: LiveFeedService,
    private readonly stats: StatsRepository,
    private readonly overviews: OverviewService,
    private readonly config: PedigreeConfig,
  ) {}

  connect(principal: Principal): Observable<MessageEvent> {
    const holder = principal.apiKeyId ?? principal.role;
    const count = this.open.get(holder) ?? 0;
    if (count >= this.config.apiStreamsPerKey) {
      throw new CommonError(
        CommonErrorCode.RATE_LIMITED,
        `Your key already has ${count} live streams open (the limit is ${this.config.apiStreamsPerKey}); close one first.`,
        { extensions: { retryAfterSeconds: 5 } },
      );
    }
    this.open.set(holder, count + 1);
    const scope = readsEverything(principal) ? undefined : principal.organisationId;
    const visible = (orgIds: string[]) => scope === undefined || orgIds.includes(scope);
    const stats = interval(STATS_INTERVAL_MS).pipe(
      startWith(0),
      // The figures are shared by the scope; the names are the caller's (its own master data may name places).
      switchMap(() => from(this.overview(scope).then((o) => this.overviews.named(o, principal)))),
      map((data): MessageEvent => ({ type: 'stats', data })),
    );
    const items = this.live.items.pipe(
      filter((item) => visible(item.orgIds)),
      map((item): MessageEvent => ({ type: item.type, data: item.data })),
    );
    return merge(stats, items).pipe(
      finalize(() => {
        const left = (this.open.get(holder) ?? 1) - 1;
        if (left > 0) this.open.set(holder, left);
        else this.open.delete(holder);
      }),
    );
  }

  private overview(scope: string | undefined): Promise<Overview> {
    const key = scope ?? '*';
    const now = Date.now();
    const cached = this.shared.get(key);
    if (cached && now - cached.at < STATS_INTERVAL_MS - 100) return cached.overview;
    const overview = this.stats.overview(
      this.config.shipmentOverdueHours,
      scope,
      this.config.anchorDeadlineSeconds,
    );
    this.shared.set(key, { at: now, overview });
    overview.catch(() => this.shared.delete(key));
    return overview;
  }
}
