import express, { type Express } from 'express';
import type { ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';
import { createJsonCache, pingRedis, type RedisClient } from '@shopstack/redis';
import { createServiceApp } from '@shopstack/service-kit';
import { serveApiReference } from './api-reference.js';
import { forwardTo } from './forward.js';
import { rateLimiter, type RateLimitSettings } from './rate-limit.js';
import { productWithStaleFallback } from './stale-products.js';
import { statusHandler } from './status.js';

export interface AppDeps {
  redis: RedisClient;
  logger: Logger;
  /** One client, so one circuit breaker, per service. */
  clients: { users: ServiceClient; products: ServiceClient; orders: ServiceClient };
  rateLimit: RateLimitSettings;
  trustProxyHops: number;
  bodyLimit: string;
  staleTtlSeconds: number;
}

export function createApp({ redis, logger, clients, rateLimit, trustProxyHops, bodyLimit, staleTtlSeconds }: AppDeps): Express {
  return createServiceApp({
    hop: 'gateway',
    logger,
    trustProxyHops,
    // The services answer OPTIONS for what the gateway forwards (PATCH /api/products/:id, say).
    optionsFromOwnRoutes: false,
    readiness: { redis: () => pingRedis(redis) },
    routes: (app) => {
      // Limit before reading bodies; bodies pass through as bytes, the services validate them.
      app.use('/api', rateLimiter(redis, rateLimit, logger), express.raw({ type: () => true, limit: bodyLimit }));
      app.get('/api/status', statusHandler(Object.values(clients), redis));
      serveApiReference(app);
      app.get('/api/products/:id', productWithStaleFallback(clients.products, createJsonCache(redis, logger), staleTtlSeconds));
      app.use('/api/users', forwardTo(clients.users, '/users'));
      app.use('/api/products', forwardTo(clients.products, '/products'));
      app.use('/api/orders', forwardTo(clients.orders, '/orders'));
    },
  });
}
