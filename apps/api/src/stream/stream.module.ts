import { Module } from '@nestjs/common';
import { StatsRepository } from '../stats/stats.repository';
import { LiveFeedService } from './live-feed.service';
import { StreamController } from './stream.controller';

@Module({
  controllers: [StreamController],
  providers: [LiveFeedService, StatsRepository],
  exports: [LiveFeedService, StatsRepository],
})
export class StreamModule {}
