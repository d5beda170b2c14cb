import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 50_000;

/**
 * Failed authentications per client address, in one-minute windows. The per-key rate limit cannot see a client
 * that presents no valid key; this stops one from trying keys (or tickets) as fast as it likes.
 */
@Injectable()
export class FailedAttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly limit: number;

  constructor(config: PedigreeConfig) {
    this.limit = config.apiFailedAuthPerMinute;
  }

  assertAllowed(client: string, now = Date.now()): void {
    const window = this.windows.get(client);
    if (!window || now - window.start >= WINDOW_MS || window.count < this.limit) return;
    const retryAfterSeconds = Math.ceil((window.start + WINDOW_MS - now) / 1000);
    throw new CommonError(
      CommonErrorCode.RATE_LIMITED,
      `Too many failed authentications from your address; retry after ${retryAfterSeconds} s.`,
      { extensions: { retryAfterSeconds } },
    );
  }

  record(client: string, now = Date.now()): void {
    const window = this.windows.get(client);
    if (window && now - window.start < WINDOW_MS) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
    this.windows.set(client, { start: now, count: 1 });
  }
}
