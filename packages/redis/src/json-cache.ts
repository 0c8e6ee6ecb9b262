import type { Logger } from '@shopstack/logger';
import { withTimeout } from '@shopstack/resilience';
import { currentTimings, timed } from '@shopstack/timing';
import type { RedisClient } from './redis-client.js';

export interface JsonCache {
  /** The cached value, or undefined on a miss or when Redis is unavailable. */
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Cache-aside: the cached value, or else `load()` stored for `ttlSeconds`. `hit` says which.
   * A missing value (undefined) is not cached, so a 404 never sticks. A read racing an
   * update can store the old value just after the update dropped it; the TTL bounds how
   * long that copy lives.
   */
  remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<{ value: T | undefined; hit: boolean }>;
}

/**
 * JSON values in Redis for caches: Redis being down or slow turns every read into a miss
 * and every write into a no-op, so the cache can only make things faster, never take the
 * API down.
 */
export function createJsonCache(client: RedisClient, logger: Logger, timeoutMs = 300): JsonCache {
  async function attempt<T>(operation: string, key: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      // Counted as the request's cache time (Server-Timing `cache`), whatever the outcome.
      return await timed('cache', () => withTimeout(work(), timeoutMs, 'Redis'));
    } catch (error) {
      logger.debug({ err: error, key, operation }, 'cache unavailable');
      return undefined;
    }
  }

  const cache: JsonCache = {
    async get<T>(key: string) {
      const raw = await attempt('get', key, () => client.get(key));
      if (typeof raw !== 'string') return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        // Not ours or corrupted: a miss, which the next write replaces.
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      const json = JSON.stringify(value);
      await attempt('set', key, () => (ttlSeconds ? client.set(key, json, { EX: ttlSeconds }) : client.set(key, json)));
    },
    async delete(key) {
      await attempt('delete', key, () => client.del(key));
    },
    async remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>) {
      const cached = await cache.get<T>(key);
      currentTimings()?.describe('cache', cached === undefined ? 'miss' : 'hit');
      if (cached !== undefined) return { value: cached, hit: true };
      const value = await load();
      if (value !== undefined) await cache.set(key, value, ttlSeconds);
      return { value, hit: false };
    },
  };
  return cache;
}
