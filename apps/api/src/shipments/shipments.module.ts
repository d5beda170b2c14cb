import { Module } from '@nestjs/common';
import { MasterDataModule } from '../master-data/master-data.module';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [MasterDataModule],
  controllers: [ShipmentsController],
  providers: [ShipmentsRepository, ShipmentsService],
})
export class ShipmentsModule {}
