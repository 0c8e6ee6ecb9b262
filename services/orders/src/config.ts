import { env } from '@shopstack/config';
import { downstreamConfigSchema } from '@shopstack/http-client';
import { dataServiceConfigSchema } from '@shopstack/service-kit';

export const configSchema = dataServiceConfigSchema.extend(downstreamConfigSchema.shape).extend({
  // Tighter than the shared defaults: placing an order makes two calls in a row and must
  // answer within the gateway's ORDERS_TIMEOUT_MS (15 s), retries included.
  DOWNSTREAM_TIMEOUT_MS: env.integer({ min: 100, max: 120_000 }).default(2000),
  RETRY_DEADLINE_MS: env.integer({ min: 0, max: 120_000 }).default(3000),
  USERS_URL: env.url(['http', 'https']),
  PRODUCTS_URL: env.url(['http', 'https']),
  /** The users service's public keys, fetched once and cached, to verify bearer tokens with. */
  JWKS_URL: env.url(['http', 'https']),
  /** How long an Idempotency-Key stays locked while its first request is being served. */
  IDEMPOTENCY_LOCK_MS: env.integer({ min: 1000, max: 600_000 }).default(30_000),
  /** How often the recovery pass looks for stock to give back (see stock-recovery.ts). */
  RECOVERY_INTERVAL_MS: env.integer({ min: 100, max: 600_000 }).default(5000),
  /**
   * When a pending reservation is taken for one whose request died. Far longer than any
   * request lives (the gateway gives up on an order after 15 s); a request still alive past
   * it finds its reservation gone and answers 503 instead of storing the order.
   */
  RECOVERY_ABANDONED_AFTER_MS: env.integer({ min: 1000, max: 3_600_000 }).default(30_000),
});
