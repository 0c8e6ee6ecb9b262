import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { withTimeout } from '@shopstack/resilience';
import { currentTimings, timed } from '@shopstack/timing';
import type { RedisClient } from './redis-client.js';
import { cacheCounter } from './redis-metrics.js';

export interface JsonCache {
  /** The cached value, or undefined on a miss or when Redis is unavailable. */
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Cache-aside: the cached value, or else `load()` stored for `ttlSeconds`. `hit` says which.
   * A missing value (undefined) is not cached, so a 404 never sticks. A `delete` while
   * `load()` runs wins: the value loaded before it, possibly old, is not stored.
   */
  remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>): Promise<{ value: T | undefined; hit: boolean }>;
}

// Each cached key has a version, bumped by every delete. A loaded value is stored only if
// the version is still the one read before loading: a write in between (which deletes the
// key after changing the data) means the value may be old. In one script, so no delete can
// slip between the check and the SET.
const SET_IF_UNCHANGED = `
local current = redis.call('GET', KEYS[2]) or ''
if current == ARGV[2] then
  return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
end
return false`;
// Far longer than any load takes; it only has to outlive the reads racing a delete.
const VERSION_TTL_SECONDS = 86_400;
const versionKey = (key: string) => `${key}:version`;

export interface JsonCacheOptions {
  timeoutMs?: number;
  /** Where `remember` counts its hits and misses, as cache_requests_total{cache: name}. */
  metrics?: { metrics: Metrics; name: string };
}

/**
 * JSON values in Redis for caches: Redis being down or slow turns every read into a miss
 * and every write into a no-op, so the cache can only make things faster, never take the
 * API down.
 */
export function createJsonCache(client: RedisClient, logger: Logger, { timeoutMs = 300, metrics }: JsonCacheOptions = {}): JsonCache {
  const counted = metrics && cacheCounter(metrics.metrics, metrics.name);
  async function attempt<T>(operation: string, key: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      // Counted as the request's cache time (Server-Timing `cache`), whatever the outcome.
      return await timed('cache', () => withTimeout(work(), timeoutMs, 'Redis'));
    } catch (error) {
      logger.debug({ err: error, key, operation }, 'cache unavailable');
      return undefined;
    }
  }

  /** A cached JSON value; anything else (not ours, corrupted) is a miss, which the next write replaces. */
  function parse<T>(raw: unknown): T | undefined {
    if (typeof raw !== 'string') return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  const cache: JsonCache = {
    async get<T>(key: string) {
      return parse<T>(await attempt('get', key, () => client.get(key)));
    },
    async set(key, value, ttlSeconds) {
      const json = JSON.stringify(value);
      await attempt('set', key, () => (ttlSeconds ? client.set(key, json, { EX: ttlSeconds }) : client.set(key, json)));
    },
    async delete(key) {
      await attempt('delete', key, () =>
        client.multi().incr(versionKey(key)).expire(versionKey(key), VERSION_TTL_SECONDS).del(key).exec(),
      );
    },
    async remember<T>(key: string, ttlSeconds: number, load: () => Promise<T | undefined>) {
      // The value and its version in one round trip: the version is what a miss stores against.
      const read = await attempt('get', key, () => client.mGet([key, versionKey(key)]));
      const cached = parse<T>(read?.[0]);
      currentTimings()?.describe('cache', cached === undefined ? 'miss' : 'hit');
      counted?.[cached === undefined ? 'miss' : 'hit'].inc();
      if (cached !== undefined) return { value: cached, hit: true };
      // null: no version yet; undefined: Redis is unavailable, so nothing will be stored.
      const version = read === undefined ? undefined : (read[1] ?? null);
      const value = await load();
      if (value !== undefined && version !== undefined) {
        await attempt('set', key, () =>
          client.eval(SET_IF_UNCHANGED, { keys: [key, versionKey(key)], arguments: [JSON.stringify(value), version ?? '', String(ttlSeconds)] }),
        );
      }
      return { value, hit: false };
    },
  };
  return cache;
}
