import { Module } from '@nestjs/common';
import { StatsRepository } from '../stats/stats.repository';
import { LiveFeedService } from './live-feed.service';
import { StreamController } from './stream.controller';
import { StreamService } from './stream.service';

@Module({
  controllers: [StreamController],
  providers: [LiveFeedService, StatsRepository, StreamService],
  exports: [LiveFeedService, StatsRepository],
})
export class StreamModule {}
