import { runDataService } from '@shopstack/service-kit';
import { createApp, migrations, prepareAccounts } from './index.js';
import { configSchema } from './config.js';

await runDataService(
  {
    name: 'users',
    config: configSchema,
    migrations,
    async createApp({ db, redis }, config, logger) {
      const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = config;
      await prepareAccounts(
        { db, redis, logger, cacheTtlSeconds: config.CACHE_TTL_SECONDS },
        { signingKeyPem: config.SIGNING_KEY, admin: email && password ? { email, password } : undefined },
      );
      return createApp({
        db,
        redis,
        logger,
        cacheTtlSeconds: config.CACHE_TTL_SECONDS,
        refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
        cookieSecure: config.COOKIE_SECURE,
        trustProxyHops: config.TRUST_PROXY_HOPS,
      });
    },
  },
  process.env,
);
