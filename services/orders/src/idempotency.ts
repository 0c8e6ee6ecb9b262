import { createHash } from 'node:crypto';
import type { CreateOrderInput } from '@shopstack/api-contract';
import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';
import type { Order } from './orders.repository.js';

export type IdempotencyLocks = ReturnType<typeof createIdempotencyLocks>;

/**
 * The fast half of idempotency: a short Redis lock so that two concurrent requests with one
 * key do not both reserve stock. The durable half is the unique key in Postgres; that is
 * why, with Redis down, requests go ahead unlocked instead of failing.
 */
export function createIdempotencyLocks(redis: RedisClient, lockMs: number) {
  // Per user, as the key is (see migration 003): another customer's request with the same
  // key must neither wait for this one nor be told it is in progress.
  const lockKey = (userId: string, key: string) => `orders:idempotency:${userId}:${key}`;
  return {
    /** False when another request of the same user holds the key right now. */
    async acquire(userId: string, key: string, log: Logger): Promise<boolean> {
      try {
        const taken = await timed('lock', () => withTimeout(redis.set(lockKey(userId, key), '1', { NX: true, PX: lockMs }), 300, 'Redis'));
        return taken === 'OK';
      } catch (error) {
        log.warn({ err: error }, 'idempotency lock unavailable; relying on the database alone');
        return true;
      }
    },
    async release(userId: string, key: string): Promise<void> {
      await withTimeout(redis.del(lockKey(userId, key)), 300, 'Redis').catch(() => undefined);
    },
  };
}

/** Same order request, same fingerprint, whatever the order of its items. */
export function requestFingerprint(input: CreateOrderInput): string {
  const items = [...input.items].sort((a, b) => a.productId.localeCompare(b.productId)).map((i) => [i.productId, i.quantity]);
  return createHash('sha256').update(JSON.stringify([input.userId, items])).digest('hex');
}

/** The first order placed with a key, answered again to a request with that key; unless the request differs. */
export function replay(previous: { order: Order; fingerprint: string | null }, fingerprint: string): { order: Order; replayed: true } {
  if (previous.fingerprint !== fingerprint) {
    throw AppError.unprocessable('idempotency_key_reused', 'This Idempotency-Key was already used for a different order');
  }
  return { order: previous.order, replayed: true };
}
