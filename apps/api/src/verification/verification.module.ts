import { Module } from '@nestjs/common';
import { ProvenanceModule } from '../provenance/provenance.module';
import { VerificationController } from './verification.controller';
import { VerificationRepository } from './verification.repository';
import { VerificationService } from './verification.service';

@Module({
  imports: [ProvenanceModule],
  controllers: [VerificationController],
  providers: [VerificationRepository, VerificationService],
})
export class VerificationModule {}
