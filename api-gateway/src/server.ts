import { createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { createDownstreamClient } from '@shopstack/http-client';
import { runService } from '@shopstack/service-kit';
import { createApp } from './app.js';
import { configSchema } from './config.js';

await runService(
  {
    name: 'api-gateway',
    config: configSchema,
    async start(config, logger) {
      const redis = createRedisClient(config.REDIS_URL, logger);
      connectRedis(redis, logger);
      // undici rather than axios: forwarding is nearly all the gateway does (see the README's
      // Performance section for what it saved).
      const clients = {
        users: createDownstreamClient('users', config.USERS_URL, config, logger, { transport: 'undici' }),
        products: createDownstreamClient('products', config.PRODUCTS_URL, config, logger, { transport: 'undici' }),
        orders: createDownstreamClient('orders', config.ORDERS_URL, config, logger, { transport: 'undici', timeoutMs: config.ORDERS_TIMEOUT_MS }),
      };
      const app = createApp({
        redis,
        logger,
        clients,
        rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
        trustProxyHops: config.TRUST_PROXY_HOPS,
        bodyLimit: config.BODY_LIMIT,
        staleTtlSeconds: config.STALE_TTL_SECONDS,
        verifyToken: createTokenVerifier(remoteKeys(config.JWKS_URL)),
      });
      return {
        handler: app,
        async close() {
          await Promise.all(Object.values(clients).map((client) => client.close()));
          await closeRedis(redis);
        },
      };
    },
  },
  process.env,
);
