import { Registry, type Counter, type Gauge, type Histogram } from 'prom-client';
import type { Metrics } from './metrics.js';

const nothing = (): void => undefined;

/**
 * What the code being measured calls on a counter, gauge or histogram (or a labelled child of
 * one), each doing nothing. One object for all: nothing is made per call.
 */
interface Instrument extends Record<string, () => unknown> {
  labels(): Instrument;
}
const instrument: Instrument = {
  inc: nothing,
  dec: nothing,
  set: nothing,
  setToCurrentTime: nothing,
  observe: nothing,
  reset: nothing,
  zero: nothing,
  remove: nothing,
  startTimer: () => () => 0,
  labels: () => instrument,
};

/**
 * Metrics switched off (METRICS=off): every instrument does nothing, no process metrics are
 * collected and the registry stays empty, so the process pays nothing for them. What the
 * bench compares with, to say what metrics cost.
 */
export function metricsOff(): Metrics {
  return {
    enabled: false,
    registry: new Registry(),
    counter: <L extends string>() => instrument as unknown as Counter<L>,
    gauge: <L extends string>() => instrument as unknown as Gauge<L>,
    histogram: <L extends string>() => instrument as unknown as Histogram<L>,
    sampled: () => nothing,
  };
}
