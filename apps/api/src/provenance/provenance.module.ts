import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { IdentifiersModule } from '../identifiers/identifiers.module';
import { MasterDataModule } from '../master-data/master-data.module';
import { HopVerifierService } from './hop-verifier.service';
import { LotProvenanceRepository } from './lot-provenance.repository';
import { LotProvenanceService } from './lot-provenance.service';
import { ProvenanceController } from './provenance.controller';
import { ProvenanceRepository } from './provenance.repository';
import { ProvenanceService } from './provenance.service';
import { StateCheckService } from './state-check.service';
import { StateNodeRepository } from './state-node.repository';

@Module({
  imports: [ChainModule, IdentifiersModule, MasterDataModule],
  controllers: [ProvenanceController],
  providers: [
    LotProvenanceRepository,
    LotProvenanceService,
    ProvenanceRepository,
    ProvenanceService,
    HopVerifierService,
    StateNodeRepository,
    StateCheckService,
  ],
  exports: [HopVerifierService, ProvenanceRepository, StateCheckService],
})
export class ProvenanceModule {}
