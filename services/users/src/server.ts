import { runDataService } from '@shopstack/service-kit';
import { createApp } from './app.js';
import { configSchema } from './config.js';

await runDataService(
  {
    name: 'users',
    config: configSchema,
    migrations: new URL('../migrations', import.meta.url),
    createApp: ({ db, redis }, config, logger) => createApp({ db, redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS }),
  },
  process.env,
);
