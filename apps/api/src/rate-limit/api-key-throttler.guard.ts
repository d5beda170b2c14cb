import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { Request } from 'express';
import { SuspectKeysService } from './suspect-keys.service';

function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
}

/**
 * Rate limiting per authenticated API key (or the admin token), falling back to the client address for public
 * routes: one noisy integration cannot starve the others. Failed authentications have their own per-address limit.
 * A key caught harvesting serials (an open high `verification_harvesting` alert) is held to a few requests a minute.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly suspects: SuspectKeysService,
    private readonly config: PedigreeConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    // Runs after authentication (AuthModule's guard is registered first): the principal, not the raw header, is
    // what is limited, so respelling the header or adding a query parameter buys no fresh allowance.
    const principal = (request as { principal?: Principal }).principal;
    if (principal)
      return Promise.resolve(principal.apiKeyId ? `key:${principal.apiKeyId}` : `role:${principal.role}`);
    return Promise.resolve(`ip:${(request as unknown as Request).ip ?? 'unknown'}`);
  }

  /**
   * One allowance per key for the whole API, as API_RATE_LIMIT_PER_MINUTE promises (the library keys by route too, so
   * a key spreading its requests over routes, or a harvester alternating two verification routes, got one each).
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const keyId = principalOf(props.context)?.apiKeyId;
    if (keyId && this.suspects.alertFor(keyId)) {
      const limit = Math.min(props.limit, this.config.apiSuspectKeyRatePerMinute);
      return super.handleRequest({ ...props, limit, ttl: 60_000 });
    }
    return super.handleRequest(props);
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const keyId = principalOf(context)?.apiKeyId;
    const alert = keyId ? this.suspects.alertFor(keyId) : undefined;
    const why = alert
      ? ` while alert ${alert} (verification harvesting) about your key is open; it lifts when the alert is resolved`
      : ' for your key';
    throw new CommonError(
      CommonErrorCode.RATE_LIMITED,
      `Too many requests: the limit is ${detail.limit} per ${Math.round(detail.ttl / 1000)} s${why}; retry after ${detail.timeToBlockExpire} s.`,
      { extensions: { retryAfterSeconds: detail.timeToBlockExpire, ...(alert ? { alertId: alert } : {}) } },
    );
  }
}
