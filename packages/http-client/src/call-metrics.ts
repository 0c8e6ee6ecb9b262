import type CircuitBreaker from 'opossum';
import type { Metrics } from '@shopstack/metrics';

/** How an attempt, or a whole call, ended: `rejected` is its open circuit's refusal, nothing sent. */
export type CallOutcome = 'ok' | 'http_error' | 'timeout' | 'unreachable' | 'rejected';
const OUTCOMES: readonly CallOutcome[] = ['ok', 'http_error', 'timeout', 'unreachable', 'rejected'];
// The gauge's values: a graph reads higher as worse.
const STATES = { closed: 0, half_open: 1, open: 2 } as const;

const byOutcome = <C>(make: (outcome: CallOutcome) => C) => Object.fromEntries(OUTCOMES.map((outcome) => [outcome, make(outcome)])) as Record<CallOutcome, C>;

export interface CallMetrics {
  attempt(outcome: CallOutcome): void;
  call(outcome: CallOutcome, seconds: number): void;
}

/**
 * The metrics of one client (its `target`, the service called): its breaker's state and
 * transitions, from the breaker's own events, and each call's and attempt's outcome. The
 * labelled children are made once here, so a call costs no label lookup.
 */
export function callMetrics(metrics: Metrics, target: string, breaker: CircuitBreaker): CallMetrics {
  const state = metrics.gauge({ name: 'circuit_breaker_state', help: 'Circuit breaker towards a service: 0 closed, 1 half-open, 2 open', labelNames: ['target'] });
  const transitions = metrics.counter({ name: 'circuit_breaker_transitions_total', help: 'Circuit breaker state changes, by the state entered', labelNames: ['target', 'to'] });
  const durations = metrics.histogram({ name: 'downstream_request_duration_seconds', help: 'Calls to another service, all attempts included, in seconds', labelNames: ['target', 'outcome'] });
  const attempts = metrics.counter({ name: 'downstream_attempts_total', help: 'Attempts sent (or refused by an open circuit) to another service', labelNames: ['target', 'outcome'] });

  const moveTo = (to: keyof typeof STATES) => () => {
    state.set({ target }, STATES[to]);
    transitions.inc({ target, to });
  };
  state.set({ target }, STATES.closed);
  breaker.on('open', moveTo('open'));
  breaker.on('halfOpen', moveTo('half_open'));
  breaker.on('close', moveTo('closed'));

  const attemptOf = byOutcome((outcome) => attempts.labels(target, outcome));
  const callOf = byOutcome((outcome) => durations.labels(target, outcome));
  return {
    attempt: (outcome) => attemptOf[outcome].inc(),
    call: (outcome, seconds) => callOf[outcome].observe(seconds),
  };
}
