import type { ComposeProject } from './compose-project.js';
import { idleRates } from './cpu.js';
import { load } from './load.js';
import { measure, type Scenario } from './measure.js';
import { notUp } from './monitoring.js';
import { NODE_SERVICES } from './scenarios.js';

type MetricsMode = 'on' | 'off';

/**
 * Off, on, on, off: a drift over the phase (the machine busier towards its end, say) weighs
 * on both alike, and each mode is measured twice, after a restart of the four Node services
 * into it (the second "on" follows the first without one).
 */
const ORDER: readonly MetricsMode[] = ['off', 'on', 'on', 'off'];

export interface MetricsCost {
  order: readonly MetricsMode[];
  /** Per mode, per load: the CPU µs per request of each Node service on its path, the mean of its runs. */
  cpuMicrosPerRequest: Record<MetricsMode, Record<string, Record<string, number>>>;
  /** Per mode: each Node service's CPU at rest (Prometheus scraping every 5 s when on), the mean of its runs. */
  idleCpuMicrosPerSecond: Record<MetricsMode, Record<string, number>>;
  /** Per mode, per load: requests per second, the mean of its runs. */
  throughput: Record<MetricsMode, Record<string, number>>;
  /** Errors and non-2xx answers over every run: a run that failed does not measure a path. */
  failures: number;
}

/**
 * The four Node services recreated with the mode's settings, waited for until healthy. A
 * service found unhealthy on a busy machine (four Node processes starting on two cores)
 * is waited for once more, after its last checks are printed: why is in them.
 */
async function restart(stack: ComposeProject, say: (message: string) => void): Promise<void> {
  const up = () => stack.compose('up', '-d', '--wait', '--wait-timeout', '90', ...NODE_SERVICES);
  await up().catch(async () => {
    for (const [service, state] of Object.entries(await notUp(stack))) {
      say(`  ${service} ${state}: ${await stack.inspect(service, '{{if .State.Health}}{{json .State.Health.Log}}{{end}}').catch(String)}`);
    }
    await up();
  });
}

const mean = (values: number[]) => Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);

/**
 * The same loads with metrics on and off, in one run: `stacks.on` and `stacks.off` are the
 * same project, the second with METRICS=off on the Node services (bench/compose.no-metrics.yml).
 * `scenarios` are read after each restart (a recreated container may move to another port).
 */
export async function metricsCost(stacks: Record<MetricsMode, ComposeProject>, scenarios: () => Promise<Scenario[]>, say: (message: string) => void): Promise<MetricsCost> {
  const runs: Array<{ mode: MetricsMode; idle: Record<string, number>; cpu: Record<string, Record<string, number>>; throughput: Record<string, number>; failures: number }> = [];
  let current: MetricsMode | undefined;
  for (const mode of ORDER) {
    if (mode !== current) {
      say(`metrics ${mode}: restarting the Node services`);
      await restart(stacks[mode], say);
      current = mode;
    }
    const loads = await scenarios();
    for (const scenario of loads) await load('warm-up', { ...scenario.options(0), duration: 3 });
    const idle = await idleRates(stacks[mode], NODE_SERVICES, 10);
    const run = { mode, idle, cpu: {} as Record<string, Record<string, number>>, throughput: {} as Record<string, number>, failures: 0 };
    for (const scenario of loads) {
      say(`metrics ${mode}: ${scenario.name}`);
      const measured = await measure(stacks[mode], { ...scenario, path: scenario.path.filter((c) => (NODE_SERVICES as readonly string[]).includes(c)) }, idle, 1);
      run.cpu[scenario.name] = measured.cpu;
      run.throughput[scenario.name] = measured.load.throughput;
      run.failures += measured.load.errors + measured.load.non2xx;
      say(`  ${measured.load.throughput} req/s, CPU µs per request ${JSON.stringify(measured.cpu)}`);
    }
    runs.push(run);
  }

  const of = (mode: MetricsMode) => runs.filter((run) => run.mode === mode);
  const summary = (mode: MetricsMode) => {
    const own = of(mode);
    const names = Object.keys(own[0]!.cpu);
    return {
      cpu: Object.fromEntries(names.map((name) => [name, Object.fromEntries(Object.keys(own[0]!.cpu[name]!).map((s) => [s, mean(own.map((run) => run.cpu[name]![s]!))]))])),
      idle: Object.fromEntries(NODE_SERVICES.map((s) => [s, mean(own.map((run) => run.idle[s]!))])),
      throughput: Object.fromEntries(names.map((name) => [name, mean(own.map((run) => run.throughput[name]!))])),
    };
  };
  const [on, off] = [summary('on'), summary('off')];
  return {
    order: ORDER,
    cpuMicrosPerRequest: { on: on.cpu, off: off.cpu },
    idleCpuMicrosPerSecond: { on: on.idle, off: off.idle },
    throughput: { on: on.throughput, off: off.throughput },
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
}
