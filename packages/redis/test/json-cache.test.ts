import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger, metricValue, startRedis, type StartedRedis } from '@shopstack/testing';
import { closeRedis, connectRedis, createJsonCache, createRedisClient, measureRedis, type JsonCache, type RedisClient } from '../src/index.js';

const { logger } = captureLogger('cache');
let container: StartedRedis;
let client: RedisClient;
let cache: JsonCache;

beforeAll(async () => {
  container = await startRedis();
  client = createRedisClient(container.getConnectionUrl(), logger);
  connectRedis(client, logger);
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  cache = createJsonCache(client, logger);
});

afterAll(async () => {
  await closeRedis(client);
  await container?.stop();
});

describe('cache-aside', () => {
  it('loads once, then answers from the cache until the key is deleted', async () => {
    let loads = 0;
    const load = async () => ({ stock: 10, load: ++loads });
    expect(await cache.remember('t:1', 60, load)).toEqual({ value: { stock: 10, load: 1 }, hit: false });
    expect(await cache.remember('t:1', 60, load)).toEqual({ value: { stock: 10, load: 1 }, hit: true });
    await cache.delete('t:1');
    expect(await cache.remember('t:1', 60, load)).toEqual({ value: { stock: 10, load: 2 }, hit: false });
    expect(await client.ttl('t:1')).toBeGreaterThan(50);
  });

  it('does not store a value loaded before a delete that happened while loading', async () => {
    let current = { stock: 10 };
    let loading!: () => void;
    let finish!: () => void;
    const loadingStarted = new Promise<void>((resolve) => (loading = resolve));
    const updateDone = new Promise<void>((resolve) => (finish = resolve));
    // A read misses and loads the old stock; an update changes it and deletes the key
    // before the read stores what it loaded.
    const racing = cache.remember('t:2', 60, async () => {
      const loaded = current;
      loading();
      await updateDone;
      return loaded;
    });
    await loadingStarted;
    current = { stock: 9 };
    await cache.delete('t:2');
    finish();
    expect((await racing).value).toEqual({ stock: 10 });
    // The old value was not cached: the next read loads the new one.
    expect(await cache.remember('t:2', 60, async () => current)).toEqual({ value: { stock: 9 }, hit: false });
    expect(await cache.remember('t:2', 60, async () => current)).toEqual({ value: { stock: 9 }, hit: true });
  });

  it('never caches a missing value', async () => {
    expect(await cache.remember('t:3', 60, async () => undefined)).toEqual({ value: undefined, hit: false });
    expect(await client.exists('t:3')).toBe(0);
  });
});

describe('metrics', () => {
  it('counts what remember found, as hits and misses of the named cache', async () => {
    const metrics = createMetrics('products');
    const counted = createJsonCache(client, logger, { metrics: { metrics, name: 'products' } });
    await counted.remember('t:4', 60, async () => ({ stock: 1 }));
    await counted.remember('t:4', 60, async () => ({ stock: 1 }));
    await counted.remember('t:4', 60, async () => ({ stock: 1 }));
    expect(await metricValue(metrics, 'cache_requests_total', { cache: 'products', result: 'miss' })).toBe(1);
    expect(await metricValue(metrics, 'cache_requests_total', { cache: 'products', result: 'hit' })).toBe(2);
  });

  it('says whether the process is connected to its Redis: redis_up', async () => {
    const metrics = createMetrics('users');
    const own = createRedisClient(container.getConnectionUrl(), logger);
    measureRedis(own, metrics);
    expect(await metricValue(metrics, 'redis_up')).toBe(0);
    connectRedis(own, logger);
    await expect.poll(() => metricValue(metrics, 'redis_up')).toBe(1);
    await closeRedis(own);
    expect(await metricValue(metrics, 'redis_up')).toBe(0);
  });
});
