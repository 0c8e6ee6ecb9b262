import CircuitBreaker from 'opossum';
import type { Logger } from '@shopstack/logger';

export interface BreakerSettings {
  /** Failure percentage in the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls needed in the window before the percentage is taken seriously. */
  volumeThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). */
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerStatus {
  state: BreakerState;
  /** Counts over the rolling window. */
  counts: { fires: number; successes: number; failures: number; rejects: number; timeouts: number };
}

export function createBreaker<A extends unknown[], R>(
  name: string,
  action: (...args: A) => Promise<R>,
  settings: BreakerSettings,
  logger: Logger,
): CircuitBreaker<A, R> {
  const breaker = new CircuitBreaker(action, {
    name,
    // Each attempt has its own socket timeout; a breaker timeout would only race it.
    timeout: false,
    errorThresholdPercentage: settings.errorThresholdPercentage,
    volumeThreshold: settings.volumeThreshold,
    resetTimeout: settings.resetTimeoutMs,
    rollingCountTimeout: settings.rollingWindowMs,
    rollingCountBuckets: 10,
  });
  breaker.on('open', () => logger.warn({ downstream: name, breaker: 'open' }, `circuit to ${name} opened`));
  breaker.on('halfOpen', () => logger.info({ downstream: name, breaker: 'half-open' }, `circuit to ${name} half-open`));
  breaker.on('close', () => logger.info({ downstream: name, breaker: 'closed' }, `circuit to ${name} closed`));
  return breaker;
}

export function breakerStatus(breaker: CircuitBreaker): BreakerStatus {
  const { fires, successes, failures, rejects, timeouts } = breaker.stats;
  const state: BreakerState = breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
  return { state, counts: { fires, successes, failures, rejects, timeouts } };
}
