import { Module } from '@nestjs/common';
import { MasterDataModule } from '../master-data/master-data.module';
import { ProvenanceModule } from '../provenance/provenance.module';
import { VerificationController } from './verification.controller';
import { VerificationAccessRecorder } from './verification-access.recorder';
import { VerificationRepository } from './verification.repository';
import { VerificationService } from './verification.service';

@Module({
  imports: [ProvenanceModule, MasterDataModule],
  controllers: [VerificationController],
  providers: [VerificationRepository, VerificationService, VerificationAccessRecorder],
})
export class VerificationModule {}
