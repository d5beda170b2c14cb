import { Module } from '@nestjs/common';
import { IdentifierNamesService } from './identifier-names.service';
import { MasterDataController } from './master-data.controller';
import { MasterDataRepository } from './master-data.repository';
import { MasterDataService } from './master-data.service';

@Module({
  controllers: [MasterDataController],
  providers: [MasterDataRepository, MasterDataService, IdentifierNamesService],
  exports: [MasterDataService, IdentifierNamesService],
})
export class MasterDataModule {}
