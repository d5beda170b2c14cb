import { Module } from '@nestjs/common';
import { MasterDataModule } from '../master-data/master-data.module';
import { ForecastsController } from './forecasts.controller';
import { ForecastsRepository } from './forecasts.repository';
import { ForecastsService } from './forecasts.service';

@Module({
  imports: [MasterDataModule],
  controllers: [ForecastsController],
  providers: [ForecastsRepository, ForecastsService],
})
export class ForecastsModule {}
