import { z } from 'zod';
import { env } from '@shopstack/config';
import { databaseSettings, redisSettings, serverSettings } from '@shopstack/service-kit';

export const configSchema = z.object({
  ...serverSettings,
  ...databaseSettings,
  ...redisSettings,
  CACHE_TTL_SECONDS: env.integer({ min: 1, max: 86_400 }).default(60),
  /** The users service's public keys, fetched once and cached, to verify bearer tokens with. */
  JWKS_URL: env.url(['http', 'https']),
  /** Orders' public keys: its token alone opens the reservation routes. See README, "Service identity". */
  ORDERS_JWKS_URL: env.url(['http', 'https']),
});
