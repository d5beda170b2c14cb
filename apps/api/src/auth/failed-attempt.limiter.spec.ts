import type { PedigreeConfig } from '@pedigree/config';
import { FailedAttemptLimiter } from './failed-attempt.limiter';

describe('FailedAttemptLimiter', () => {
  it('refuses an address after its limit of failures in a minute, others and the next minute alike untouched', async () => {
    const limiter = new FailedAttemptLimiter({ apiFailedAuthPerMinute: 3 } as PedigreeConfig);
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) {
      limiter.assertAllowed('10.0.0.1', t);
      await limiter.record('10.0.0.1', t);
    }
    expect(() => limiter.assertAllowed('10.0.0.1', t + 1000)).toThrow(/Too many failed authentications/);
    expect(() => limiter.assertAllowed('10.0.0.2', t + 1000)).not.toThrow();
    expect(() => limiter.assertAllowed('10.0.0.1', t + 61_000)).not.toThrow();
  });
});
