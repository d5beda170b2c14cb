import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { Request } from 'express';

/**
 * Rate limiting per authenticated API key (or the admin token), falling back to the client address for public
 * routes: one noisy integration cannot starve the others. Failed authentications have their own per-address limit.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    // Runs after authentication (AuthModule's guard is registered first): the principal, not the raw header, is
    // what is limited, so respelling the header or adding a query parameter buys no fresh allowance.
    const principal = (request as { principal?: Principal }).principal;
    if (principal)
      return Promise.resolve(principal.apiKeyId ? `key:${principal.apiKeyId}` : `role:${principal.role}`);
    return Promise.resolve(`ip:${(request as unknown as Request).ip ?? 'unknown'}`);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new CommonError(
      CommonErrorCode.RATE_LIMITED,
      `Too many requests: the limit is ${detail.limit} per ${Math.round(detail.ttl / 1000)} s for your key; retry after ${detail.timeToBlockExpire} s.`,
      { extensions: { retryAfterSeconds: detail.timeToBlockExpire } },
    );
  }
}
