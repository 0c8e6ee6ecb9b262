import { createHash } from 'node:crypto';
import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';

/** Failed logins allowed per window: per email (one account), and per client address (a classroom shares one). */
const LOGIN_LIMITS = { perEmail: 10, perAddress: 100, windowSeconds: 15 * 60 } as const;

// The email is hashed: the keys of this counter never spell anyone's address.
const emailKey = (email: string) => `users:login-failures:email:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
const addressKey = (address: string) => `users:login-failures:address:${address}`;

export type LoginLimits = ReturnType<typeof createLoginLimits>;

/**
 * Failed logins counted in Redis, so that every users replica (and every gateway in front)
 * sees the same counts. With Redis down the limits are off rather than logins: the password
 * hash's cost and the rate limits at nginx and the gateway still bound guessing.
 */
export function createLoginLimits(redis: RedisClient, logger: Logger) {
  const degraded = (error: unknown) => logger.warn({ err: error }, 'login limits unavailable (Redis); logins go unlimited');

  return {
    /** Throws 429 with Retry-After when either limit is reached, whatever the password. */
    async check(email: string, address: string): Promise<void> {
      let counts: unknown[];
      try {
        counts = await withTimeout(
          redis.multi().get(emailKey(email)).pTTL(emailKey(email)).get(addressKey(address)).pTTL(addressKey(address)).exec(),
          300,
          'Redis',
        );
      } catch (error) {
        degraded(error);
        return;
      }
      const [byEmail, emailTtl, byAddress, addressTtl] = counts.map(Number) as [number, number, number, number];
      const waitMs = Math.max(byEmail >= LOGIN_LIMITS.perEmail ? emailTtl : 0, byAddress >= LOGIN_LIMITS.perAddress ? addressTtl : 0);
      if (waitMs > 0) {
        throw new AppError(429, 'too_many_attempts', 'Too many failed logins; try again later', {
          headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
        });
      }
    },

    async failed(email: string, address: string): Promise<void> {
      const window = LOGIN_LIMITS.windowSeconds;
      await withTimeout(
        redis.multi().incr(emailKey(email)).expire(emailKey(email), window, 'NX').incr(addressKey(address)).expire(addressKey(address), window, 'NX').exec(),
        300,
        'Redis',
      ).catch(degraded);
    },

    /** A right password ends that email's run of failures. */
    async succeeded(email: string): Promise<void> {
      await withTimeout(redis.del(emailKey(email)), 300, 'Redis').catch(degraded);
    },
  };
}
