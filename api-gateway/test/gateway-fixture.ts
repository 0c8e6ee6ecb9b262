import request from 'supertest';
import { vi } from 'vitest';
import type { Express } from 'express';
import * as orders from '@shopstack/orders';
import * as products from '@shopstack/products';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';
import { createDownstreamClient } from '@shopstack/http-client';
import { captureLogger, cleanUp, fastDownstream, startServices, type StartedRedis } from '@shopstack/testing';
import * as users from '@shopstack/users';
import { createApp } from '../src/index.js';

// Fast retries (3 attempts a call) and a breaker that may open once 3 attempts have failed,
// and tries again after half a second.
export const downstream = fastDownstream({ RETRY_ATTEMPTS: 2, RETRY_DEADLINE_MS: 500, BREAKER_VOLUME_THRESHOLD: 3, BREAKER_RESET_TIMEOUT_MS: 500 });

/** The three services for real (see startServices) and a gateway in front, ready. */
export async function startGatewayFixture() {
  const shop = await startServices({ users, products, orders }, downstream);
  const logs = { gateway: captureLogger('api-gateway'), ...shop.logs };
  const redisClients: RedisClient[] = [];

  // The transport the gateway runs with (see server.ts).
  const client = (service: 'users' | 'products' | 'orders') =>
    createDownstreamClient(service, shop.url(service), downstream, logs.gateway.logger, { transport: 'undici' });

  /** A Redis client of the gateway's kind, closed with the fixture. */
  function redisFor(container: StartedRedis = shop.redis): RedisClient {
    const redis = createRedisClient(container.getConnectionUrl(), logs.gateway.logger);
    connectRedis(redis, logs.gateway.logger);
    redisClients.push(redis);
    return redis;
  }

  /** A gateway with its own breakers, on the given Redis. */
  function startGateway(redis = redisFor(), rateLimit = { max: 100_000, windowMs: 60_000 }): Express {
    return createApp({
      redis,
      logger: logs.gateway.logger,
      clients: { users: client('users'), products: client('products'), orders: client('orders') },
      rateLimit,
      trustProxyHops: 1,
      bodyLimit: '1mb',
      staleTtlSeconds: 3600,
    });
  }

  const gateway = startGateway();
  await vi.waitFor(async () => {
    if ((await request(gateway).get('/ready')).status !== 200) throw new Error('gateway not ready');
  }, { timeout: 5000 });

  return {
    shop,
    logs,
    gateway,
    redisFor,
    startGateway,
    close: () =>
      cleanUp({
        'redis clients': () => Promise.all(redisClients.map((redis) => closeRedis(redis))),
        services: () => shop.close(),
      }),
  };
}

export type GatewayFixture = Awaited<ReturnType<typeof startGatewayFixture>>;
