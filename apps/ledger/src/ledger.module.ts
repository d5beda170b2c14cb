import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggingModule, MetricsModule } from '@pedigree/common';
import { ConfigModule } from '@pedigree/config';
import { DatabaseModule } from '@pedigree/database';
import { AnchoringRepository } from './anchoring/anchoring.repository';
import { AnchoringService } from './anchoring/anchoring.service';
import { ChainSyncService } from './chain/chain-sync.service';
import { LedgerChainService } from './chain/ledger-chain.service';
import { CustodyKeystoreService } from './custody/custody-keystore.service';
import { CustodyRepository } from './custody/custody.repository';
import { CustodyService } from './custody/custody.service';
import { LedgerHealthController } from './health/ledger-health.controller';
import { ParticipantsRepository } from './participants/participants.repository';
import { ParticipantsService } from './participants/participants.service';
import { LeaderLockService } from './worker/leader-lock.service';
import { OutboxGuardRepository } from './outbox/outbox-guard.repository';
import { StateMapRepository } from './state-map/state-map.repository';
import { StateMapService } from './state-map/state-map.service';

@Module({
  imports: [
    ConfigModule.forApp('ledger'),
    LoggingModule.forApp('ledger'),
    DatabaseModule.forRoot(),
    TerminusModule,
    MetricsModule,
  ],
  controllers: [LedgerHealthController],
  providers: [
    LeaderLockService,
    OutboxGuardRepository,
    LedgerChainService,
    ChainSyncService,
    StateMapRepository,
    StateMapService,
    AnchoringRepository,
    AnchoringService,
    CustodyKeystoreService,
    CustodyRepository,
    CustodyService,
    ParticipantsRepository,
    ParticipantsService,
  ],
})
export class LedgerModule {}
