import { MlModelsRepository } from './models/ml-models.repository';
import { Module, type OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggingModule, MetricsModule } from '@pedigree/common';
import { ConfigModule, PedigreeConfig } from '@pedigree/config';
import { loadTf } from '@pedigree/ml';
import { DatabaseModule } from '@pedigree/database';
import { AccessMonitorService } from './access/access-monitor.service';
import { AlertOutbox } from './alerts/alert-outbox.service';
import { AlertPublisher } from './alerts/alert-publisher.service';
import { AlertWordingService } from './alerts/alert-wording.service';
import { AlertsRepository } from './alerts/alerts.repository';
import { SetAsideAlertsRepository } from './alerts/set-aside-alerts.repository';
import { SubjectNamesRepository } from './alerts/subject-names.repository';
import { AnomalyModelsService } from './detection/anomaly-models.service';
import { DetectionService } from './detection/detection.service';
import { DetectorStateRepository } from './detection/detector-state.repository';
import { MasterDataRepository } from './detection/master-data.repository';
import { StreamConsumers } from './detection/stream.consumers';
import { DemandHistoryRepository } from './forecasting/demand-history.repository';
import { ForecastingService } from './forecasting/forecasting.service';
import { ForecastsRepository } from './forecasting/forecasts.repository';
import { IntelligenceHealthController } from './health/intelligence-health.controller';

@Module({
  imports: [
    ConfigModule.forApp('intelligence'),
    LoggingModule.forApp('intelligence'),
    DatabaseModule.forRoot(),
    TerminusModule,
    MetricsModule,
  ],
  controllers: [IntelligenceHealthController],
  providers: [
    AlertsRepository,
    SubjectNamesRepository,
    AlertWordingService,
    AlertPublisher,
    AlertOutbox,
    SetAsideAlertsRepository,
    AccessMonitorService,
    AnomalyModelsService,
    MlModelsRepository,
    MasterDataRepository,
    DetectorStateRepository,
    DetectionService,
    StreamConsumers,
    DemandHistoryRepository,
    ForecastsRepository,
    ForecastingService,
  ],
})
export class IntelligenceModule implements OnModuleInit {
  constructor(private readonly config: PedigreeConfig) {}

  /** A configured TensorFlow.js backend is forced before any model loads: later loads reuse the same runtime. */
  async onModuleInit(): Promise<void> {
    if (this.config.tfBackend) await loadTf({ backend: this.config.tfBackend });
  }
}
