import { createTokenVerifier, remoteKeys } from '@shopstack/auth';
import { runDataService } from '@shopstack/service-kit';
import { createApp, migrations } from './index.js';
import { configSchema } from './config.js';

await runDataService(
  {
    name: 'products',
    config: configSchema,
    migrations,
    createApp: ({ db, redis }, config, logger) =>
      createApp({ db, redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS, verifyToken: createTokenVerifier(remoteKeys(config.JWKS_URL)) }),
  },
  process.env,
);
