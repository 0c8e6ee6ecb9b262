import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';

export interface IdempotencyLocks {
  /** False when another request holds the key right now. */
  acquire(key: string, log: Logger): Promise<boolean>;
  release(key: string): Promise<void>;
}

/**
 * The fast half of idempotency: a short Redis lock so that two concurrent requests with one
 * key do not both reserve stock. The durable half is the unique key in Postgres; that is
 * why, with Redis down, requests go ahead unlocked instead of failing.
 */
export function createIdempotencyLocks(redis: RedisClient, lockMs: number): IdempotencyLocks {
  const lockKey = (key: string) => `orders:idempotency:${key}`;
  return {
    async acquire(key, log) {
      try {
        const taken = await timed('lock', () => withTimeout(redis.set(lockKey(key), '1', { NX: true, PX: lockMs }), 300, 'Redis'));
        return taken === 'OK';
      } catch (error) {
        log.warn({ err: error }, 'idempotency lock unavailable; relying on the database alone');
        return true;
      }
    },
    async release(key) {
      await withTimeout(redis.del(lockKey(key)), 300, 'Redis').catch(() => undefined);
    },
  };
}
