import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';

export interface IdempotencyLocks {
  /** False when another request of the same user holds the key right now. */
  acquire(userId: string, key: string, log: Logger): Promise<boolean>;
  release(userId: string, key: string): Promise<void>;
}

/**
 * The fast half of idempotency: a short Redis lock so that two concurrent requests with one
 * key do not both reserve stock. The durable half is the unique key in Postgres; that is
 * why, with Redis down, requests go ahead unlocked instead of failing.
 */
export function createIdempotencyLocks(redis: RedisClient, lockMs: number): IdempotencyLocks {
  // Per user, as the key is (see migration 003): another customer's request with the same
  // key must neither wait for this one nor be told it is in progress.
  const lockKey = (userId: string, key: string) => `orders:idempotency:${userId}:${key}`;
  return {
    async acquire(userId, key, log) {
      try {
        const taken = await timed('lock', () => withTimeout(redis.set(lockKey(userId, key), '1', { NX: true, PX: lockMs }), 300, 'Redis'));
        return taken === 'OK';
      } catch (error) {
        log.warn({ err: error }, 'idempotency lock unavailable; relying on the database alone');
        return true;
      }
    },
    async release(userId, key) {
      await withTimeout(redis.del(lockKey(userId, key)), 300, 'Redis').catch(() => undefined);
    },
  };
}
