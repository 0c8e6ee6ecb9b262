import type { z } from 'zod';
import { env } from '@shopstack/config';
import type { Metrics } from '@shopstack/metrics';

/**
 * Resilience settings for calls to other services, to spread into a service's config
 * schema. The retry defaults add up to ~3 to 6 s of waiting: enough to ride out a service
 * restart, short enough that a dead service is given up on quickly. The breaker counts
 * attempts and needs one more than a single call makes (1 + RETRY_ATTEMPTS) before it may
 * open: a lone call through a restart can never be cut short by its own retries, while a
 * dead service opens the circuit by the end of the first call that finds it dead (and it
 * then fails fast). The time budgets: see README, "Time budgets".
 */
export const downstreamSettings = {
  DOWNSTREAM_TIMEOUT_MS: env.integer({ min: 100, max: 120_000 }).default(3000),
  RETRY_ATTEMPTS: env.integer({ min: 0, max: 10 }).default(5),
  RETRY_BASE_DELAY_MS: env.integer({ min: 1, max: 60_000 }).default(250),
  RETRY_MAX_DELAY_MS: env.integer({ min: 1, max: 60_000 }).default(2000),
  RETRY_DEADLINE_MS: env.integer({ min: 0, max: 120_000 }).default(8000),
  BREAKER_ERROR_THRESHOLD_PERCENT: env.integer({ min: 1, max: 100 }).default(50),
  BREAKER_VOLUME_THRESHOLD: env.integer({ min: 1, max: 1000 }).default(6),
  BREAKER_RESET_TIMEOUT_MS: env.integer({ min: 100, max: 600_000 }).default(5000),
  BREAKER_WINDOW_MS: env.integer({ min: 1000, max: 600_000 }).default(10_000),
};

export type DownstreamSettings = z.output<z.ZodObject<typeof downstreamSettings>>;

/** How a client is built beyond its settings. */
export interface CallPolicyOptions {
  /** Per attempt; DOWNSTREAM_TIMEOUT_MS unless given. */
  timeoutMs?: number;
  /** Where the breaker's state and each call's outcome are counted; nowhere when left out. */
  metrics?: Metrics;
}
