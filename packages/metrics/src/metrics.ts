import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsOff } from './metrics-off.js';

/** A metric family: its name, what it counts, and the names of its labels (bounded values only). */
export interface Family<L extends string = never> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** Seconds, from 5 ms to 10 s: around the time budgets of the README, for requests and calls alike. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What reads a sampled gauge's values at each scrape (pool sizes, a count in the database). */
type Sampler<L extends string> = (gauge: Gauge<L>) => void | Promise<void>;

/**
 * One process's metrics: a registry of its own whose every sample carries `service`, with
 * Node's process metrics (CPU, memory, event loop lag, GC). Families are made on first use
 * and shared after that: two clients of one kind count into one family, each with its labels.
 * Passed to what it measures, as the logger is: a test builds apps on a fresh one.
 */
export interface Metrics {
  /** False when switched off: then nothing is counted and there is nothing to serve. */
  readonly enabled: boolean;
  readonly registry: Registry;
  counter<L extends string = never>(family: Family<L>): Counter<L>;
  gauge<L extends string = never>(family: Family<L>): Gauge<L>;
  /** A duration histogram in seconds, with the buckets every duration here shares. */
  histogram<L extends string = never>(family: Family<L>): Histogram<L>;
  /**
   * A gauge read when scraped rather than kept up to date: each sampler adds its part (two
   * pools add up). Returns what stops this sampler, for a pool that is closed.
   */
  sampled<L extends string = never>(family: Family<L>, sample: Sampler<L>): () => void;
}

/** `enabled: false` (METRICS=off): instruments that do nothing, and nothing to serve (see metricsOff). */
export function createMetrics(service: string, { enabled = true }: { enabled?: boolean } = {}): Metrics {
  if (!enabled) return metricsOff();
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const samplers = new Map<string, Set<Sampler<string>>>();

  function family<M>(name: string, make: () => M): M {
    return (registry.getSingleMetric(name) as M | undefined) ?? make();
  }
  const options = <L extends string>({ name, help, labelNames = [] }: Family<L>) => ({ name, help, labelNames, registers: [registry] });

  const metrics: Metrics = {
    enabled: true,
    registry,
    counter: (definition) => family(definition.name, () => new Counter(options(definition))),
    gauge: (definition) => family(definition.name, () => new Gauge(options(definition))),
    histogram: (definition) => family(definition.name, () => new Histogram({ ...options(definition), buckets: DURATION_BUCKETS })),
    sampled<L extends string = never>(definition: Family<L>, sample: Sampler<L>) {
      let own = samplers.get(definition.name);
      if (!own) {
        const all = new Set<Sampler<string>>();
        own = all;
        samplers.set(definition.name, all);
        new Gauge({
          ...options(definition),
          async collect() {
            this.reset();
            // A sampler that fails leaves its part out rather than failing the whole scrape.
            const gauge = this as Gauge<string>;
            await Promise.all([...all].map((read) => Promise.resolve().then(() => read(gauge)).catch(() => undefined)));
          },
        });
      }
      own.add(sample as Sampler<string>);
      const added = own;
      return () => void added.delete(sample as Sampler<string>);
    },
  };
  return metrics;
}
