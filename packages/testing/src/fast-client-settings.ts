import type { DownstreamSettings } from '@shopstack/http-client';

/**
 * Service client settings for tests: the same mechanisms as production, on a millisecond
 * scale, so that a test sees retries give up and breakers move without waiting for seconds.
 */
export function fastClientSettings(overrides: Partial<DownstreamSettings> = {}): DownstreamSettings {
  return {
    DOWNSTREAM_TIMEOUT_MS: 2000,
    RETRY_ATTEMPTS: 1,
    RETRY_BASE_DELAY_MS: 10,
    RETRY_MAX_DELAY_MS: 20,
    RETRY_DEADLINE_MS: 200,
    BREAKER_ERROR_THRESHOLD_PERCENT: 50,
    BREAKER_VOLUME_THRESHOLD: 1000,
    BREAKER_RESET_TIMEOUT_MS: 1000,
    BREAKER_WINDOW_MS: 10_000,
    ...overrides,
  };
}
