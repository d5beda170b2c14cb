import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggingModule, MetricsModule } from '@pedigree/common';
import { ConfigModule } from '@pedigree/config';
import { DatabaseModule } from '@pedigree/database';
import { AdminModule } from './admin/admin.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CaptureModule } from './capture/capture.module';
import { CustodyModule } from './custody/custody.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventsQueryModule } from './events-query/events-query.module';
import { ForecastsModule } from './forecasts/forecasts.module';
import { ModelsModule } from './models/models.module';
import { ApiHealthController } from './health/api-health.controller';
import { MeController } from './me/me.controller';
import { MasterDataModule } from './master-data/master-data.module';
import { ProvenanceModule } from './provenance/provenance.module';
import { QueriesModule } from './queries/queries.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ShipmentsModule } from './shipments/shipments.module';
import { StatsModule } from './stats/stats.module';
import { StreamModule } from './stream/stream.module';
import { VerificationModule } from './verification/verification.module';

@Module({
  imports: [
    ConfigModule.forApp('api'),
    LoggingModule.forApp('api'),
    DatabaseModule.forRoot(),
    TerminusModule,
    MetricsModule,
    // Order matters: guards run in registration order, and the rate limit counts authenticated keys.
    AuthModule,
    RateLimitModule,
    AdminModule,
    CaptureModule,
    CustodyModule,
    // Before EventsQueryModule: /epcis/v2/queries/{name}/events is not the resource route /{resource}/{id}/events.
    QueriesModule,
    EventsQueryModule,
    MasterDataModule,
    ProvenanceModule,
    VerificationModule,
    AlertsModule,
    StatsModule,
    StreamModule,
    ShipmentsModule,
    ForecastsModule,
    ModelsModule,
    DashboardModule,
  ],
  controllers: [ApiHealthController, MeController],
})
export class AppModule {}
