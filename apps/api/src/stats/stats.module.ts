import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module';
import { StatsController } from './stats.controller';

@Module({ imports: [StreamModule], controllers: [StatsController] })
export class StatsModule {}
