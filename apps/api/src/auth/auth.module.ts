import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { FailedAttemptLimiter } from './failed-attempt.limiter';
import { StreamTicketService } from './stream-ticket.service';

@Global()
@Module({
  providers: [
    AuthRepository,
    AuthService,
    StreamTicketService,
    FailedAttemptLimiter,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [AuthService, StreamTicketService, FailedAttemptLimiter],
})
export class AuthModule {}
