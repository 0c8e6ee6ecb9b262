import { z } from 'zod';
import { env } from '@shopstack/config';
import { downstreamSettings } from '@shopstack/http-client';
import { redisSettings, serverSettings } from '@shopstack/service-kit';

export const configSchema = z.object({
  ...serverSettings,
  ...redisSettings,
  ...downstreamSettings,
  USERS_URL: env.url(['http', 'https']),
  PRODUCTS_URL: env.url(['http', 'https']),
  ORDERS_URL: env.url(['http', 'https']),
  /** The users service's public keys (its JWKS), fetched once and cached: tokens are verified here, not by asking users. */
  JWKS_URL: env.url(['http', 'https']),
  /** Read for the console's graphs (GET /api/monitoring/overview), with fixed queries; not needed to serve the shop. */
  PROMETHEUS_URL: env.url(['http', 'https']).default('http://prometheus:9090'),
  BODY_LIMIT: env
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 512kb or 1mb')
    .default('1mb'),
  /** Placing an order calls two services in a row, so it gets longer than a read. See README, "Time budgets". */
  ORDERS_TIMEOUT_MS: env.integer({ min: 100, max: 120_000 }).default(15_000),
  /** Proxies in front of the gateway whose X-Forwarded-For entry is believed (nginx: 1). */
  TRUST_PROXY_HOPS: env.integer({ min: 0, max: 10 }).default(1),
  RATE_LIMIT_MAX: env.integer({ min: 1, max: 1_000_000_000 }).default(600),
  RATE_LIMIT_WINDOW_MS: env.integer({ min: 1000, max: 86_400_000 }).default(60_000),
  /** How long the last good copy of a product is kept for when products is down. */
  STALE_TTL_SECONDS: env.integer({ min: 1, max: 30 * 86_400 }).default(86_400),
});
