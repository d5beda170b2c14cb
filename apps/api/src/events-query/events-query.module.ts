import { Module } from '@nestjs/common';
import { IdentifiersModule } from '../identifiers/identifiers.module';
import { EpcisResourcesController } from './epcis-resources.controller';
import { EventsQueryController } from './events-query.controller';
import { EventsQueryRepository } from './events-query.repository';
import { EventsQueryService } from './events-query.service';

@Module({
  imports: [IdentifiersModule],
  // Resources first: `/epcis/v2/events/:eventID` must not take `/epcis/v2/epcs/…/events`.
  controllers: [EpcisResourcesController, EventsQueryController],
  providers: [EventsQueryRepository, EventsQueryService],
  exports: [EventsQueryService],
})
export class EventsQueryModule {}
