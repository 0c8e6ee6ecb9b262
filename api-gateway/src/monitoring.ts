// GET /api/monitoring/overview: what the console's graphs draw, read from Prometheus with the
// fixed queries below. Nothing of the request reaches a query: the browser cannot make
// Prometheus run PromQL of its own (an expensive one is a denial of service, and any one
// reads every metric). Admins only, as /api/status's details are.
import type { RequestHandler } from 'express';
import { MONITORED_SERVICES, type MonitoringOverview, type Series } from '@shopstack/api-contract';
import { requireAdmin } from '@shopstack/auth';
import { prometheusReader, type PrometheusReader, type RangeSeries, type TimeRange } from './prometheus.js';

type Service = (typeof MONITORED_SERVICES)[number];

const RANGE_SECONDS = 15 * 60;
const STEP_SECONDS = 15;

const ONE_OF = MONITORED_SERVICES.join('|');
// Rates over a minute: four scrapes at least, so one missed scrape leaves no gap.
const requests = (status = '') => `sum by (service) (rate(http_requests_total{service=~"${ONE_OF}"${status}}[1m]))`;

/** The only queries the route sends. */
export const QUERIES = {
  // Each replica is a target of its own: 3 gateways, 3 when all are up.
  targetsUp: `sum by (job) (up{job=~"${ONE_OF}"})`,
  requestsPerSecond: requests(),
  // No 5xx series at all is a ratio of 0, not a gap: `or` stands in the total times 0.
  errorRatio: `(${requests(',status=~"5.."')} or 0 * ${requests()}) / ${requests()}`,
  p95Seconds: `histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"${ONE_OF}"}[1m])))`,
  // The worst of the caller's replicas.
  breakerState: 'max by (service, target) (circuit_breaker_state)',
  // Per replica, so that one replica's restart (its counters back to 0) is told apart; added up below.
  breakerTransitions: 'circuit_breaker_transitions_total',
  // Every orders replica reads the same table: the same figures, so the max of them, not the sum.
  pendingReservations: 'max(pending_reservations)',
  oldestReservationAge: 'max(pending_reservation_oldest_age_seconds)',
  // The p95 the SlowAnswers alert fires at, from the rule itself: one figure for the alert and the graph.
  timeBudgetSeconds: 'shopstack:time_budget_seconds',
} as const;

type Answers = Record<keyof typeof QUERIES, RangeSeries[]>;

/** Prometheus's pairs as numbers, without the steps that have none (NaN: a ratio of no requests). */
export function toSeries(values: RangeSeries['values']): Series {
  return values.map(([time, value]): [number, number] => [time, Number(value)]).filter(([, value]) => Number.isFinite(value));
}

const seriesWith = (results: RangeSeries[], label: string, value: string): Series =>
  toSeries(results.find((series) => series.metric[label] === value)?.values ?? []);

/**
 * How much a counter went up over the range: each rise, and after a fall (the process
 * restarted, its counter from 0) the new value. A series that starts after the range does
 * was created inside it (prom-client makes a labelled counter at its first increment).
 */
export function increaseOf(values: Series, rangeStart: number): number {
  let increase = 0;
  let previous: number | undefined;
  for (const [time, value] of values) {
    if (previous === undefined) increase += time > rangeStart ? value : 0;
    else increase += value >= previous ? value - previous : value;
    previous = value;
  }
  return Math.round(increase);
}

type Breaker = MonitoringOverview['breakers'][number];
const TRANSITIONS = ['open', 'half_open', 'closed'] as const;

function breakersOf(answers: Answers, rangeStart: number): Breaker[] {
  return answers.breakerState
    .map(({ metric, values }): Breaker => {
      const caller = metric['service'] ?? '';
      const target = metric['target'] ?? '';
      const transitions = { open: 0, half_open: 0, closed: 0 };
      for (const counter of answers.breakerTransitions) {
        const to = TRANSITIONS.find((state) => state === counter.metric['to']);
        if (to && counter.metric['service'] === caller && counter.metric['target'] === target) transitions[to] += increaseOf(toSeries(counter.values), rangeStart);
      }
      return { caller, target, state: toSeries(values), transitions };
    })
    .sort((a, b) => a.caller.localeCompare(b.caller) || a.target.localeCompare(b.target));
}

/** The route's answer, from the answers to QUERIES. */
export function overviewOf(answers: Answers, range: TimeRange): MonitoringOverview {
  const service = (name: Service) => {
    const budget = seriesWith(answers.timeBudgetSeconds, 'service', name).at(-1)?.[1];
    return {
      targetsUp: seriesWith(answers.targetsUp, 'job', name),
      requestsPerSecond: seriesWith(answers.requestsPerSecond, 'service', name),
      errorRatio: seriesWith(answers.errorRatio, 'service', name),
      p95Seconds: seriesWith(answers.p95Seconds, 'service', name),
      ...(budget === undefined ? {} : { timeBudgetSeconds: budget }),
    };
  };
  return {
    range,
    services: { 'api-gateway': service('api-gateway'), users: service('users'), products: service('products'), orders: service('orders') },
    breakers: breakersOf(answers, range.start),
    reservations: {
      pending: toSeries(answers.pendingReservations[0]?.values ?? []),
      oldestAgeSeconds: toSeries(answers.oldestReservationAge[0]?.values ?? []),
    },
  };
}

export interface Monitoring {
  /** The last 15 minutes up to now. */
  overview(): Promise<MonitoringOverview>;
}

interface MonitoringSettings {
  PROMETHEUS_URL: string;
  /** Also the bound on each query: Prometheus is one more service behind the gateway. */
  DOWNSTREAM_TIMEOUT_MS: number;
}

export function createMonitoring(settings: MonitoringSettings, reader: PrometheusReader = prometheusReader(settings.PROMETHEUS_URL, settings.DOWNSTREAM_TIMEOUT_MS)): Monitoring {
  return {
    async overview() {
      const end = Math.floor(Date.now() / 1000);
      const range = { start: end - RANGE_SECONDS, end, stepSeconds: STEP_SECONDS };
      const names = Object.keys(QUERIES) as Array<keyof typeof QUERIES>;
      const results = await Promise.all(names.map((name) => reader.queryRange(QUERIES[name], range)));
      return overviewOf(Object.fromEntries(names.map((name, i) => [name, results[i]!])) as Answers, range);
    },
  };
}

export function monitoringOverviewHandler(monitoring: Monitoring): RequestHandler {
  return async (req, res) => {
    requireAdmin(req);
    res.set('Cache-Control', 'no-store').json(await monitoring.overview());
  };
}
