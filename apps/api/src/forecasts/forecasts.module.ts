import { Module } from '@nestjs/common';
import { ForecastsController } from './forecasts.controller';
import { ForecastsRepository } from './forecasts.repository';

@Module({ controllers: [ForecastsController], providers: [ForecastsRepository] })
export class ForecastsModule {}
