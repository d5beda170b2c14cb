import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import type { ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request } from 'express';

/**
 * Rate limiting per credential (an organisation's key, or the admin token), falling back to the client address
 * for anonymous calls: one noisy integration cannot starve the others. The key itself is never kept, only a hash.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as Request;
    const authorization = req.headers.authorization ?? (req.headers['x-api-key'] as string | undefined);
    const token = typeof req.query?.access_token === 'string' ? req.query.access_token : undefined;
    const credential = authorization ?? token;
    if (credential)
      return Promise.resolve(
        `key:${createHash('sha256').update(credential).digest('base64url').slice(0, 22)}`,
      );
    return Promise.resolve(`ip:${req.ip ?? 'unknown'}`);
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
