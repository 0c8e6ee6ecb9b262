import type { z } from 'zod';
import { env } from '@shopstack/config';
import { dataServiceConfigSchema, downstreamConfigSchema } from '@shopstack/service-kit';

export const configSchema = dataServiceConfigSchema.extend(downstreamConfigSchema.shape).extend({
  USERS_URL: env.url(['http', 'https']),
  PRODUCTS_URL: env.url(['http', 'https']),
  /** How long an Idempotency-Key stays locked while its first request is being served. */
  IDEMPOTENCY_LOCK_MS: env.integer({ min: 1000, max: 600_000 }).default(30_000),
});

export type Config = z.output<typeof configSchema>;
