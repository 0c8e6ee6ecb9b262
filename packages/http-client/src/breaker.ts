import CircuitBreaker from 'opossum';
import type { Logger } from '@shopstack/logger';
import type { DownstreamSettings } from './settings.js';

type BreakerSettings = Pick<DownstreamSettings, 'BREAKER_ERROR_THRESHOLD_PERCENT' | 'BREAKER_VOLUME_THRESHOLD' | 'BREAKER_RESET_TIMEOUT_MS' | 'BREAKER_WINDOW_MS'>;

export interface BreakerStatus {
  state: 'closed' | 'open' | 'half-open';
  /** Counts over the rolling window. */
  counts: { fires: number; successes: number; failures: number; rejects: number; timeouts: number };
}

export function createBreaker<A extends unknown[], R>(name: string, action: (...args: A) => Promise<R>, settings: BreakerSettings, logger: Logger): CircuitBreaker<A, R> {
  const breaker = new CircuitBreaker(action, {
    name,
    // Each attempt has its own socket timeout; a breaker timeout would only race it.
    timeout: false,
    errorThresholdPercentage: settings.BREAKER_ERROR_THRESHOLD_PERCENT,
    // Calls needed in the window before the percentage is taken seriously.
    volumeThreshold: settings.BREAKER_VOLUME_THRESHOLD,
    // How long the circuit stays open before one trial call (half-open).
    resetTimeout: settings.BREAKER_RESET_TIMEOUT_MS,
    rollingCountTimeout: settings.BREAKER_WINDOW_MS,
    rollingCountBuckets: 10,
  });
  breaker.on('open', () => logger.warn({ downstream: name, breaker: 'open' }, `circuit to ${name} opened`));
  breaker.on('halfOpen', () => logger.info({ downstream: name, breaker: 'half-open' }, `circuit to ${name} half-open`));
  breaker.on('close', () => logger.info({ downstream: name, breaker: 'closed' }, `circuit to ${name} closed`));
  return breaker;
}

export function breakerStatus(breaker: CircuitBreaker): BreakerStatus {
  const { fires, successes, failures, rejects, timeouts } = breaker.stats;
  const state = breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  return { state, counts: { fires, successes, failures, rejects, timeouts } };
}

/** Whether an attempt was refused by its open circuit, without being sent. */
export const isOpenCircuit = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 'EOPENBREAKER';
