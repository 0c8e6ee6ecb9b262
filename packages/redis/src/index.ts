export { createRedisClient, connectRedis, closeRedis, pingRedis, type RedisClient } from './redis-client.js';
export { createJsonCache, type JsonCache } from './json-cache.js';
