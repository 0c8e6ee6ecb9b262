import { createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { createDownstreamClient } from '@shopstack/http-client';
import { runDataService } from '@shopstack/service-kit';
import { createApp, migrations } from './index.js';
import { configSchema } from './config.js';

await runDataService(
  {
    name: 'orders',
    config: configSchema,
    migrations,
    createApp: ({ db, redis, background }, config, logger) =>
      createApp({
        db,
        redis,
        background,
        logger,
        clients: {
          users: createDownstreamClient('users', config.USERS_URL, config, logger),
          products: createDownstreamClient('products', config.PRODUCTS_URL, config, logger),
        },
        idempotencyLockMs: config.IDEMPOTENCY_LOCK_MS,
        recovery: {
          intervalMs: config.RECOVERY_INTERVAL_MS,
          abandonedAfterMs: config.RECOVERY_ABANDONED_AFTER_MS,
          batchSize: 50,
        },
        verifyToken: createTokenVerifier(remoteKeys(config.JWKS_URL)),
      }),
  },
  process.env,
);
