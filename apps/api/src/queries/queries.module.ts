import { Module } from '@nestjs/common';
import { EventsQueryModule } from '../events-query/events-query.module';
import { StreamModule } from '../stream/stream.module';
import { NamedQueriesRepository } from './named-queries.repository';
import { NamedQueriesService } from './named-queries.service';
import { QueriesController } from './queries.controller';
import { QueryStreamGateway } from './query-stream.gateway';
import { SubscriptionDeliveryService } from './subscription-delivery.service';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';
import { WebhookSender } from './webhook.sender';

@Module({
  imports: [EventsQueryModule, StreamModule],
  controllers: [QueriesController],
  providers: [
    NamedQueriesRepository,
    NamedQueriesService,
    SubscriptionsRepository,
    SubscriptionsService,
    SubscriptionDeliveryService,
    WebhookSender,
    QueryStreamGateway,
  ],
})
export class QueriesModule {}
