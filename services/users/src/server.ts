import { runDataService } from '@shopstack/service-kit';
import { createApp, migrations } from './index.js';
import { configSchema } from './config.js';

await runDataService(
  {
    name: 'users',
    config: configSchema,
    migrations,
    createApp: ({ db, redis }, config, logger) => createApp({ db, redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS }),
  },
  process.env,
);
