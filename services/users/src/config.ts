import type { z } from 'zod';
import { env } from '@shopstack/config';
import { baseConfigSchema } from '@shopstack/service-kit';

export const configSchema = baseConfigSchema.extend({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  REDIS_URL: env.url(['redis']),
  CACHE_TTL_SECONDS: env.integer({ min: 1, max: 86_400 }).default(60),
});

export type Config = z.output<typeof configSchema>;
