import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { CustodyController } from './custody.controller';
import { CustodyRepository } from './custody.repository';
import { CustodyService } from './custody.service';

@Module({
  imports: [ChainModule],
  controllers: [CustodyController],
  providers: [CustodyRepository, CustodyService],
})
export class CustodyModule {}
