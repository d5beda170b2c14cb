import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggingModule, MetricsModule } from '@pedigree/common';
import { ConfigModule } from '@pedigree/config';
import { DatabaseModule } from '@pedigree/database';
import { AnchoringBacklogRepository } from './backpressure/anchoring-backlog.repository';
import { AnchoringBackpressureService } from './backpressure/anchoring-backpressure.service';
import { EpcisDocumentConsumer } from './capture/epcis-document.consumer';
import { MessagePublisher } from './dead-letters/message-publisher';
import { IngestHealthController } from './health/ingest-health.controller';
import { IngestProgressService } from './parking/ingest-progress.service';
import { ParkingRepository } from './parking/parking.repository';
import { ParkingService } from './parking/parking.service';
import { IngestRepository } from './persistence/ingest.repository';
import { DocumentAuthenticator } from './pipeline/document-authenticator';
import { DocumentDecoder } from './pipeline/document-decoder';
import { IngestPipelineService } from './pipeline/ingest-pipeline.service';
import { StorageRangeDirectory } from './supply-chain/storage-range.directory';
import { StorageRangeRepository } from './supply-chain/storage-range.repository';
import { PartyDirectory } from './supply-chain/party-directory.service';

@Module({
  imports: [
    ConfigModule.forApp('ingest'),
    LoggingModule.forApp('ingest'),
    DatabaseModule.forRoot(),
    TerminusModule,
    MetricsModule,
  ],
  controllers: [IngestHealthController],
  providers: [
    DocumentAuthenticator,
    DocumentDecoder,
    IngestRepository,
    PartyDirectory,
    StorageRangeDirectory,
    StorageRangeRepository,
    MessagePublisher,
    IngestPipelineService,
    IngestProgressService,
    ParkingRepository,
    ParkingService,
    AnchoringBacklogRepository,
    AnchoringBackpressureService,
    EpcisDocumentConsumer,
  ],
})
export class IngestModule {}
