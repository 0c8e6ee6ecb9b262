import type { ComposeProject } from './compose-project.js';
import { perRequest, snapshot } from './cpu.js';
import { load, type LoadOptions, type LoadResult } from './load.js';

/** A load, and the CPU microseconds per request of each container on its path. */
export interface Measured {
  load: LoadResult;
  cpu: Record<string, number>;
}

export interface Scenario {
  name: string;
  /** The containers a request of this load goes through. */
  path: readonly string[];
  /** Options for each run (a fresh set, say a different batch of products, per run). */
  options: (run: number) => LoadOptions;
}

async function once(stack: ComposeProject, scenario: Scenario, run: number, idle: Record<string, number>): Promise<Measured> {
  const before = await snapshot(stack, scenario.path);
  const result = await load(scenario.name, scenario.options(run));
  const after = await snapshot(stack, scenario.path);
  return { load: result, cpu: perRequest(before, after, result.requests, idle) };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The scenario run `runs` times, each figure the median of its runs (a run disturbed by
 * something else on the machine does not decide the figure); errors are summed.
 */
export async function measure(stack: ComposeProject, scenario: Scenario, idle: Record<string, number>, runs = 3): Promise<Measured> {
  const results: Measured[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await once(stack, scenario, run, idle));
  const loads = results.map((result) => result.load);
  const of = (field: 'throughput' | 'meanMs' | 'p50Ms' | 'p99Ms' | 'requests') => median(loads.map((l) => l[field]));
  return {
    load: {
      name: scenario.name,
      requests: of('requests'),
      throughput: of('throughput'),
      meanMs: of('meanMs'),
      p50Ms: of('p50Ms'),
      p99Ms: of('p99Ms'),
      errors: loads.reduce((sum, l) => sum + l.errors, 0),
      non2xx: loads.reduce((sum, l) => sum + l.non2xx, 0),
    },
    cpu: Object.fromEntries(scenario.path.map((container) => [container, median(results.map((r) => r.cpu[container]!))])),
  };
}
