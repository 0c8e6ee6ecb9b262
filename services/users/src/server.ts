import { fileURLToPath } from 'node:url';
import { connectDataStores, runService } from '@shopstack/service-kit';
import { createApp } from './app.js';
import { configSchema } from './config.js';

await runService(
  {
    name: 'users',
    config: configSchema,
    async start(config, logger) {
      const stores = await connectDataStores(
        {
          databaseUrl: config.DATABASE_URL,
          redisUrl: config.REDIS_URL,
          migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
        },
        logger,
      );
      const app = createApp({ db: stores.db, redis: stores.redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS });
      return { handler: app, close: stores.close };
    },
  },
  process.env,
);
