import { Module } from '@nestjs/common';
import { IdentifiersModule } from '../identifiers/identifiers.module';
import { EventsQueryController } from './events-query.controller';
import { EventsQueryRepository } from './events-query.repository';
import { EventsQueryService } from './events-query.service';

@Module({
  imports: [IdentifiersModule],
  controllers: [EventsQueryController],
  providers: [EventsQueryRepository, EventsQueryService],
})
export class EventsQueryModule {}
