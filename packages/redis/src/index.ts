export { createRedisClient, connectRedis, closeRedis, pingRedis, type RedisClient } from './redis-client.js';
export { createJsonCache, type JsonCache, type JsonCacheOptions } from './json-cache.js';
export { cacheCounter, measureRedis, type CacheCounts } from './redis-metrics.js';
