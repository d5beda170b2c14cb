import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode, primaryCall, servePrimaryCalls } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import cluster from 'node:cluster';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 50_000;
const RECORD = 'failed-auth.record';

interface Window {
  start: number;
  count: number;
}

/** Failures per client address in one-minute windows (the counting, wherever it is kept). */
class FailureWindows {
  private readonly windows = new Map<string, Window>();

  get(client: string): Window | undefined {
    return this.windows.get(client);
  }

  set(client: string, window: Window): void {
    if (!this.windows.has(client) && this.windows.size >= MAX_TRACKED) this.windows.clear();
    this.windows.set(client, window);
  }

  record(client: string, now: number): Window {
    const window = this.windows.get(client);
    if (window && now - window.start < WINDOW_MS) {
      window.count += 1;
      return window;
    }
    const fresh = { start: now, count: 1 };
    this.set(client, fresh);
    return fresh;
  }
}

/**
 * Failed authentications per client address, in one-minute windows. The per-key rate limit cannot see a client
 * that presents no valid key; this stops one from trying keys (or tickets) as fast as it likes.
 *
 * In a cluster worker (API_WORKERS > 1) the count is the primary's: each failure is recorded there and the worker
 * keeps the total it answers, so a client spreading its guesses over the workers gets at most API_WORKERS − 1 more
 * than the limit, without a round trip on the requests that succeed.
 */
@Injectable()
export class FailedAttemptLimiter {
  private readonly windows = new FailureWindows();
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

  async record(client: string, now = Date.now()): Promise<void> {
    if (!cluster.isWorker) {
      this.windows.record(client, now);
      return;
    }
    this.windows.set(client, await primaryCall<Window>(RECORD, [client, now]));
  }
}

/** In the cluster primary: the failure counts every worker's {@link FailedAttemptLimiter} records into. */
export function serveSharedFailedAttempts(): void {
  const windows = new FailureWindows();
  servePrimaryCalls({ [RECORD]: (client: string, now: number) => ({ ...windows.record(client, now) }) });
}
