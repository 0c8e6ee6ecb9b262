import { z } from 'zod';
import { env } from '@shopstack/config';
import { downstreamSettings } from '@shopstack/http-client';
import { databaseSettings, redisSettings, serverSettings } from '@shopstack/service-kit';

export const configSchema = z.object({
  ...serverSettings,
  ...databaseSettings,
  ...redisSettings,
  ...downstreamSettings,
  // Tighter than downstreamSettings' defaults, which these keys replace: placing an order
  // makes two calls in a row within the gateway's ORDERS_TIMEOUT_MS. See README, "Time budgets".
  DOWNSTREAM_TIMEOUT_MS: env.integer({ min: 100, max: 120_000 }).default(2000),
  RETRY_DEADLINE_MS: env.integer({ min: 0, max: 120_000 }).default(3000),
  USERS_URL: env.url(['http', 'https']),
  PRODUCTS_URL: env.url(['http', 'https']),
  /** The users service's public keys, fetched once and cached, to verify bearer tokens with. */
  JWKS_URL: env.url(['http', 'https']),
  /** How long an Idempotency-Key stays locked while its first request is served. See README, "Time budgets". */
  IDEMPOTENCY_LOCK_MS: env.integer({ min: 1000, max: 600_000 }).default(30_000),
  /** How often the recovery pass looks for stock to give back. */
  RECOVERY_INTERVAL_MS: env.integer({ min: 100, max: 600_000 }).default(5000),
  /**
   * When a pending reservation is taken for one whose request died: far longer than any
   * request lives; a request still alive past it answers 503 instead of storing the order.
   * See README, "Time budgets".
   */
  RECOVERY_ABANDONED_AFTER_MS: env.integer({ min: 1000, max: 3_600_000 }).default(30_000),
});
