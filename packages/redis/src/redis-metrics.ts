import type { Metrics } from '@shopstack/metrics';
import type { RedisClient } from './redis-client.js';

/**
 * redis_up: 1 while the client is connected and ready, as this process sees its Redis (the
 * exporter says whether Redis runs; this says whether the service can reach it). Kept up to
 * date from the client's own events: no command is sent for it.
 */
export function measureRedis(client: RedisClient, metrics: Metrics): void {
  const up = metrics.gauge({ name: 'redis_up', help: 'Whether this process is connected to Redis (1) or not (0)' });
  const update = () => up.set(client.isReady ? 1 : 0);
  update();
  client.on('ready', update);
  for (const lost of ['error', 'reconnecting', 'end']) client.on(lost, () => up.set(0));
}

/** A cache's counts by result: hit, miss, or stale (an old copy served while its source is down). */
export type CacheCounts = Record<'hit' | 'miss' | 'stale', { inc(): void }>;

/** cache_requests_total for one cache, by result. */
export function cacheCounter(metrics: Metrics, cache: string): CacheCounts {
  const requests = metrics.counter({ name: 'cache_requests_total', help: 'Cache reads, by cache and result', labelNames: ['cache', 'result'] });
  return { hit: requests.labels(cache, 'hit'), miss: requests.labels(cache, 'miss'), stale: requests.labels(cache, 'stale') };
}
