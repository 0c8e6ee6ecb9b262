// What the metrics panel draws, from one answer of GET /api/monitoring/overview: read
// defensively (anything malformed becomes "no data", never an exception), then turned into
// SVG path data and the words beside each chart. No DOM here: unit-tested.

/** `[unix seconds, value]`, oldest first; a missing step is a gap. */
export type Series = Array<[number, number]>;

export const METRIC_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
export type MetricService = (typeof METRIC_SERVICES)[number];

export interface Range {
  start: number;
  end: number;
  stepSeconds: number;
}

interface ServiceMetrics {
  targetsUp: Series;
  requestsPerSecond: Series;
  errorRatio: Series;
  p95Seconds: Series;
  timeBudgetSeconds?: number;
}

export interface BreakerMetrics {
  caller: string;
  target: string;
  state: Series;
  transitions: { open: number; half_open: number; closed: number };
}

export interface Overview {
  range: Range;
  services: Record<MetricService, ServiceMetrics>;
  breakers: BreakerMetrics[];
  reservations: { pending: Series; oldestAgeSeconds: Series };
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const count = (value: unknown): number => (finite(value) ? value : 0);

function series(value: unknown): Series {
  if (!Array.isArray(value)) return [];
  return value.filter((point): point is [number, number] => Array.isArray(point) && finite(point[0]) && finite(point[1]));
}

function serviceMetrics(value: unknown): ServiceMetrics {
  const raw = record(value);
  const budget = raw['timeBudgetSeconds'];
  return {
    targetsUp: series(raw['targetsUp']),
    requestsPerSecond: series(raw['requestsPerSecond']),
    errorRatio: series(raw['errorRatio']),
    p95Seconds: series(raw['p95Seconds']),
    ...(finite(budget) && budget > 0 ? { timeBudgetSeconds: budget } : {}),
  };
}

/** The answer as the panel uses it; undefined when it has no usable time range. */
export function readOverview(body: unknown): Overview | undefined {
  const raw = record(body);
  const range = record(raw['range']);
  const { start, end, stepSeconds } = range;
  if (!finite(start) || !finite(end) || !finite(stepSeconds) || end <= start || stepSeconds <= 0) return undefined;
  const services = record(raw['services']);
  const breakers = Array.isArray(raw['breakers']) ? raw['breakers'] : [];
  const reservations = record(raw['reservations']);
  return {
    range: { start, end, stepSeconds },
    services: Object.fromEntries(METRIC_SERVICES.map((name) => [name, serviceMetrics(services[name])])) as Record<MetricService, ServiceMetrics>,
    breakers: breakers.map((item) => {
      const breaker = record(item);
      const transitions = record(breaker['transitions']);
      return {
        caller: String(breaker['caller'] ?? ''),
        target: String(breaker['target'] ?? ''),
        state: series(breaker['state']),
        transitions: { open: count(transitions['open']), half_open: count(transitions['half_open']), closed: count(transitions['closed']) },
      };
    }),
    reservations: { pending: series(reservations['pending']), oldestAgeSeconds: series(reservations['oldestAgeSeconds']) },
  };
}

/** The value at the end of the range: the last point, if it is no more than a step old. */
export function latest(points: Series, range: Range): number | undefined {
  const last = points.at(-1);
  return last && last[0] >= range.end - range.stepSeconds ? last[1] : undefined;
}

export type Liveness = 'up' | 'down' | 'no-data';

/**
 * Whether Prometheus scrapes the service now: some instance up at the end of the range; down
 * when none is (scrapes failing, or no target left: a stopped container has no address);
 * no-data when it was never seen over the range (monitoring just started, or another stack).
 */
export function liveness(targetsUp: Series, range: Range): Liveness {
  if (targetsUp.length === 0) return 'no-data';
  return (latest(targetsUp, range) ?? 0) > 0 ? 'up' : 'down';
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number] | 'unknown';

/** The gauge's 0, 1, 2 as words; unknown without a recent sample. */
export function breakerState(state: Series, range: Range): BreakerState {
  const value = latest(state, range);
  return value === undefined ? 'unknown' : (BREAKER_STATES[Math.round(value)] ?? 'unknown');
}

/** The top of a chart's scale: a round number (1, 2 or 5 times a power of ten) at or above every value and `floor`. */
export function scaleMax(values: readonly number[], floor: number): number {
  const top = Math.max(floor, ...values);
  const power = 10 ** Math.floor(Math.log10(top));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= top * (1 - 1e-9)) ?? top;
}

/**
 * SVG path data for `points` in a `width` × `height` box, time across the range and 0 to
 * `max` upwards. A missing step breaks the line (a new M), so a gap shows as one.
 */
export function linePath(points: Series, range: Range, max: number, width: number, height: number): string {
  const x = (time: number) => ((time - range.start) / (range.end - range.start)) * width;
  const y = (value: number) => height - (Math.min(Math.max(value, 0), max) / max) * height;
  let previous: number | undefined;
  const parts = points.map(([time, value]) => {
    const move = previous === undefined || time - previous > range.stepSeconds * 1.5;
    previous = time;
    return `${move ? 'M' : 'L'}${x(time).toFixed(1)} ${y(value).toFixed(1)}`;
  });
  return parts.join(' ');
}

const trim = (value: number, digits: number) => String(Number(value.toFixed(digits)));

export function formatRate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : trim(perSecond, perSecond >= 10 ? 1 : 2)}/s`;
}

export function formatRatio(ratio: number): string {
  return `${trim(ratio * 100, ratio < 0.1 ? 2 : 1)} %`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${trim(seconds * 1000, seconds < 0.01 ? 1 : 0)} ms` : `${trim(seconds, 2)} s`;
}
