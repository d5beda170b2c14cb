import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PedigreeConfig } from '@pedigree/config';
import { filter, from, interval, map, merge, type Observable, startWith, switchMap } from 'rxjs';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal, readsEverything } from '../auth/principal';
import { StatsRepository } from '../stats/stats.repository';
import { LiveFeedService } from './live-feed.service';

@ApiTags('stream')
@ApiBearerAuth()
@Controller('v1/stream')
export class StreamController {
  constructor(
    private readonly live: LiveFeedService,
    private readonly stats: StatsRepository,
    private readonly config: PedigreeConfig,
  ) {}

  @Sse()
  @ApiOperation({
    summary:
      'Server-Sent Events: `stats` every 3 s, `alert` and `event` as they happen (own scope unless regulator)',
  })
  @ApiQuery({
    name: 'access_token',
    required: false,
    description: 'the API key, for EventSource clients that cannot send headers',
  })
  stream(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    const scope = readsEverything(principal) ? undefined : principal.organisationId;
    const visible = (orgIds: string[]) => scope === undefined || orgIds.includes(scope);
    const stats = interval(3000).pipe(
      startWith(0),
      switchMap(() => from(this.stats.overview(this.config.shipmentOverdueHours, scope))),
      map((data): MessageEvent => ({ type: 'stats', data })),
    );
    const items = this.live.items.pipe(
      filter((item) => visible(item.orgIds)),
      map((item): MessageEvent => ({ type: item.type, data: item.data })),
    );
    return merge(stats, items);
  }
}
