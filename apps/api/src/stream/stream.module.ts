import { Module } from '@nestjs/common';
import { MasterDataModule } from '../master-data/master-data.module';
import { OverviewService } from '../stats/overview.service';
import { StatsRepository } from '../stats/stats.repository';
import { LiveFeedService } from './live-feed.service';
import { StreamController } from './stream.controller';
import { StreamService } from './stream.service';

@Module({
  imports: [MasterDataModule],
  controllers: [StreamController],
  providers: [LiveFeedService, StatsRepository, OverviewService, StreamService],
  exports: [LiveFeedService, StatsRepository, OverviewService],
})
export class StreamModule {}
