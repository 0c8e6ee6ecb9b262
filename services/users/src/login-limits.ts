import { createHash } from 'node:crypto';
import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';

/** Failed password checks allowed per window: per account, and per client address (a classroom shares one). */
const LIMITS = { perAccount: 10, perAddress: 100, windowSeconds: 15 * 60 } as const;

// The account is hashed: the keys of this counter never spell anyone's address.
const accountKey = (account: string) => `users:login-failures:account:${createHash('sha256').update(account.trim().toLowerCase()).digest('hex')}`;
const addressKey = (address: string) => `users:login-failures:address:${address}`;

export type LoginLimits = ReturnType<typeof createLoginLimits>;

/**
 * Password checks counted in Redis, so that every users replica (and every gateway in front)
 * sees the same counts. An attempt is counted before the password is checked, so a burst of
 * parallel guesses cannot all pass before the first failure is written; a right password
 * takes its attempt back. With Redis down the limits are off rather than logins: the
 * password hash's cost and nginx's rate limit still bound guessing.
 */
export function createLoginLimits(redis: RedisClient, logger: Logger) {
  const degraded = (error: unknown) => logger.warn({ err: error }, 'login limits unavailable (Redis); password checks go unlimited');
  const window = LIMITS.windowSeconds;

  return {
    /**
     * Counts one attempt for `account` (an email, or a user id) from `address`; throws 429
     * with Retry-After when either count is past its limit, whatever the password.
     */
    async attempt(account: string, address: string): Promise<void> {
      const [a, b] = [accountKey(account), addressKey(address)];
      let counts: unknown[];
      try {
        counts = await withTimeout(
          redis.multi().incr(a).expire(a, window, 'NX').pTTL(a).incr(b).expire(b, window, 'NX').pTTL(b).exec(),
          300,
          'Redis',
        );
      } catch (error) {
        degraded(error);
        return;
      }
      const [byAccount, , accountTtl, byAddress, , addressTtl] = counts.map(Number) as number[];
      const waitMs = Math.max(byAccount! > LIMITS.perAccount ? accountTtl! : 0, byAddress! > LIMITS.perAddress ? addressTtl! : 0);
      if (waitMs > 0) {
        throw new AppError(429, 'too_many_attempts', 'Too many failed attempts; try again later', {
          headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
        });
      }
    },

    /** A right password: the account's run of failures ends, and the address's count forgets this attempt. */
    async succeeded(account: string, address: string): Promise<void> {
      await withTimeout(redis.multi().del(accountKey(account)).decr(addressKey(address)).exec(), 300, 'Redis').catch(degraded);
    },
  };
}
