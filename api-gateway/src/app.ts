import express, { type Express } from 'express';
import { authenticate, type TokenVerifier } from '@shopstack/auth';
import type { ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';
import { routeLabel, type Metrics } from '@shopstack/metrics';
import { cacheCounter, createJsonCache, measureRedis, pingRedis, type RedisClient } from '@shopstack/redis';
import { createServiceApp, mountRoutes } from '@shopstack/service-kit';
import { sameOriginCookieUse, signedInUnlessPublic } from './access.js';
import { serveApiReference } from './api-reference.js';
import { forwardTo } from './forward.js';
import { monitoringOverviewHandler, type Monitoring } from './monitoring.js';
import { rateLimiter, type RateLimitSettings } from './rate-limit.js';
import { productWithStaleFallback } from './stale-products.js';
import { statusHandler } from './status.js';

export interface AppDeps {
  redis: RedisClient;
  logger: Logger;
  /** The process's metrics; the clients count their calls into the same ones. */
  metrics: Metrics;
  /** One client, so one circuit breaker, per service. */
  clients: { users: ServiceClient; products: ServiceClient; orders: ServiceClient };
  rateLimit: RateLimitSettings;
  trustProxyHops: number;
  bodyLimit: string;
  staleTtlSeconds: number;
  /** Checks bearer tokens against the users service's cached public keys: no call to users per request. */
  verifyToken: TokenVerifier;
  /** The console's graphs, read from Prometheus. */
  monitoring: Monitoring;
}

export function createApp({ redis, logger, metrics, clients, rateLimit, trustProxyHops, bodyLimit, staleTtlSeconds, verifyToken, monitoring }: AppDeps): Express {
  measureRedis(redis, metrics);
  // What is forwarded is labelled by its mount in the HTTP metrics: the paths behind it are the services' to know.
  const forwarded = (mount: string) => routeLabel(`${mount}/*`);
  return createServiceApp({
    service: 'gateway',
    logger,
    metrics,
    trustProxyHops,
    readiness: { redis: () => pingRedis(redis) },
    routes: (app) => {
      // Limit before reading bodies; bodies pass through as bytes, the services validate them.
      app.use('/api', rateLimiter(redis, rateLimit, logger, metrics), express.raw({ type: () => true, limit: bodyLimit }));
      // Signing in, refreshing and out take no access token: an expired one sent along must
      // not stop the refresh that replaces it, so none is read or passed on here.
      app.use('/api/auth', forwarded('/api/auth'), sameOriginCookieUse, forwardTo(clients.users, '/auth', { bearer: false, cookies: true, clientAddress: true }));
      // The reference is the same for everyone: no token is looked at.
      serveApiReference(app);
      // Any token is verified once, here (a bad one is a 401 before anything is forwarded),
      // and again by the service it reaches: a container on the backend network cannot
      // become a user by calling a service directly.
      app.use('/api', authenticate(verifyToken));
      mountRoutes(app, '/', [], {
        '/api/status': { get: statusHandler(Object.values(clients), redis) },
        '/api/monitoring/overview': { get: monitoringOverviewHandler(monitoring) },
      });
      app.use('/api/users', forwarded('/api/users'), signedInUnlessPublic('/users'));
      app.use('/api/products', forwarded('/api/products'), signedInUnlessPublic('/products'));
      app.use('/api/orders', forwarded('/api/orders'), signedInUnlessPublic('/orders'));
      // GET only: every other method of the path, OPTIONS included, is products' to answer.
      const copies = { cache: createJsonCache(redis, logger), counted: cacheCounter(metrics, 'stale-products') };
      app.get('/api/products/:id', routeLabel('/api/products/:id'), productWithStaleFallback(clients.products, copies, staleTtlSeconds));
      app.use('/api/users', forwardTo(clients.users, '/users', { clientAddress: true }));
      app.use('/api/products', forwardTo(clients.products, '/products'));
      app.use('/api/orders', forwardTo(clients.orders, '/orders'));
    },
  });
}
