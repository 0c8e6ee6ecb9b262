import type { Metrics } from '@shopstack/metrics';

export interface Sample {
  /** The sample's own name: a histogram's are `<name>_bucket`, `<name>_sum` and `<name>_count`. */
  name: string;
  labels: Record<string, string | number>;
  value: number;
}

/** What the family called `name` would serve now (no samples when it does not exist yet). */
export async function samplesOf(metrics: Metrics, name: string): Promise<Sample[]> {
  const family = metrics.registry.getSingleMetric(name);
  if (!family) return [];
  // A histogram's samples name themselves; prom-client's types leave that out.
  const { values } = (await family.get()) as { values: Array<{ metricName?: string; labels: Sample['labels']; value: number }> };
  return values.map(({ metricName, labels, value }) => ({ name: metricName ?? name, labels: { ...labels }, value }));
}

/**
 * The total of the family's samples whose labels include `labels`: a counter's or a gauge's
 * value, a histogram's count of observations. 0 when there are none.
 */
export async function metricValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const samples = await samplesOf(metrics, name);
  const wanted = samples.some((sample) => sample.name === `${name}_count`) ? `${name}_count` : name;
  return samples
    .filter((sample) => sample.name === wanted && Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value))
    .reduce((total, sample) => total + sample.value, 0);
}

/** The distinct values a label takes in the family's samples. */
export async function labelValues(metrics: Metrics, name: string, label: string): Promise<string[]> {
  const values = new Set((await samplesOf(metrics, name)).map((sample) => sample.labels[label]).filter((value) => value !== undefined));
  return [...values].map(String).sort();
}
