import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { IdentifiersModule } from '../identifiers/identifiers.module';
import { HopVerifierService } from './hop-verifier.service';
import { ProvenanceController } from './provenance.controller';
import { ProvenanceRepository } from './provenance.repository';
import { ProvenanceService } from './provenance.service';

@Module({
  imports: [ChainModule, IdentifiersModule],
  controllers: [ProvenanceController],
  providers: [ProvenanceRepository, ProvenanceService, HopVerifierService],
  exports: [HopVerifierService, ProvenanceRepository],
})
export class ProvenanceModule {}
