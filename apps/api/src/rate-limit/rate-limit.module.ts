import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { PedigreeConfig } from '@pedigree/config';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { SharedThrottlerStorage } from './sliding-window.storage';
import { SuspectKeysRepository } from './suspect-keys.repository';
import { SuspectKeysService } from './suspect-keys.service';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [PedigreeConfig],
      useFactory: (config: PedigreeConfig) => ({
        throttlers: [{ name: 'per-key', ttl: 60_000, limit: config.apiRateLimitPerMinute }],
        storage: new SharedThrottlerStorage(config.apiWorkers),
        // Probes and scrapes are not traffic to limit.
        skipIf: (context) =>
          /^\/(health|metrics)/.test(context.switchToHttp().getRequest<{ path: string }>().path),
      }),
    }),
  ],
  providers: [
    SuspectKeysRepository,
    SuspectKeysService,
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
})
export class RateLimitModule {}
