import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, startRedis, type StartedRedis } from '@shopstack/testing';
import { closeRedis, connectRedis, createJsonCache, createRedisClient, type JsonCache, type RedisClient } from '../src/index.js';

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
