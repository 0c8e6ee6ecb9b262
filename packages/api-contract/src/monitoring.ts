import { z } from 'zod';

/** The Node services, in the order the console shows them; each is one of Prometheus's scrape jobs. */
export const MONITORED_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;

const series = z.array(z.tuple([z.number(), z.number()])).meta({
  description:
    '`[time, value]` pairs, time in Unix seconds, one per step and oldest first, as Prometheus gives them. A step without a value (no sample, or a ratio of no requests) is left out: a gap.',
});

const serviceMetrics = z.object({
  targetsUp: series.meta({ description: 'Instances of the service Prometheus scraped successfully (`up`). None at a step: no instance was there to scrape.' }),
  requestsPerSecond: series.meta({ description: 'Requests answered per second, over the last minute at each step.' }),
  errorRatio: series.meta({ description: 'The share of those answered 5xx, from 0 to 1.' }),
  p95Seconds: series.meta({ description: 'The 95th percentile of their durations, in seconds.' }),
  timeBudgetSeconds: z
    .number()
    .optional()
    .meta({
      description:
        'The p95 the SlowAnswers alert fires at: the recording rule `shopstack:time_budget_seconds` (monitoring/rules/services.yml; README, “Time budgets”). Absent when Prometheus has not evaluated it.',
    }),
});

const breaker = z.object({
  caller: z.string().meta({ description: 'The service whose breaker this is.' }),
  target: z.string().meta({ description: 'The service it calls.' }),
  state: series.meta({ description: '0 closed, 1 half-open, 2 open (the worst of the caller’s instances).' }),
  transitions: z
    .object({ open: z.int().min(0), half_open: z.int().min(0), closed: z.int().min(0) })
    .meta({ description: 'How many times it went to each state over the range, all instances together.' }),
});

/** GET /api/monitoring/overview: the last 15 minutes, from fixed Prometheus queries. */
export const monitoringOverview = z.object({
  range: z.object({
    start: z.number().meta({ description: 'Unix seconds.' }),
    end: z.number().meta({ description: 'Unix seconds: the time of the answer.' }),
    stepSeconds: z.int().min(1),
  }),
  services: z.object({ 'api-gateway': serviceMetrics, users: serviceMetrics, products: serviceMetrics, orders: serviceMetrics }),
  breakers: z.array(breaker).meta({ description: 'Every circuit breaker Prometheus has seen over the range: the gateway’s towards each service, and orders’ own.' }),
  reservations: z.object({
    pending: series.meta({ description: "Orders' stock reservations not yet confirmed or given back." }),
    oldestAgeSeconds: series.meta({ description: 'The age of the oldest of them (0 when there is none).' }),
  }),
});

export type MonitoringOverview = z.output<typeof monitoringOverview>;
export type Series = z.output<typeof series>;
