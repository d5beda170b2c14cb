import { Module } from '@nestjs/common';
import { MasterDataModule } from '../master-data/master-data.module';
import { StreamModule } from '../stream/stream.module';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

@Module({
  imports: [StreamModule, MasterDataModule],
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertsService],
})
export class AlertsModule {}
