// `npm run bench`: starts its own copy of the stack (project shopstack-bench, loopback
// ports only), measures it, removes it. Every load is bounded in time or count.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docker, repoRoot } from './compose-project.js';
import { BENCH_ADMIN, session } from './auth.js';
import { benchStack } from './bench-stack.js';
import { idleRates } from './cpu.js';
import { imageSize } from './images.js';
import { load } from './load.js';
import { measure, median, type Measured, type Scenario } from './measure.js';
import { memory, peakMemoryDuring, type MemoryFigures } from './memory.js';
import { metricsCost } from './metrics-cost.js';
import { monitoringServices, runningMemory, timeUp, type TimedStart } from './monitoring.js';
import { writeResults, type BenchResults } from './report.js';
import { ALL, NODE_SERVICES, scenariosFor, type Bases } from './scenarios.js';
import { seed } from './seed.js';
import { targets } from './targets.js';

const PROJECT = 'shopstack-bench';
/** Compose names a built image after its project and service. */
const imageOf = (service: string) => `${PROJECT}-${service}`;
const NAIVE_IMAGE = `${imageOf('products')}:naive`;
const root = repoRoot();
const stack = benchStack(PROJECT, root);
// The same project with the Node services' metrics switched off: the metrics phase's other mode.
const metricsOff = benchStack(PROJECT, root, { overlays: ['bench/compose.no-metrics.yml'] });

const say = (message: string) => console.log(`[bench] ${message}`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The cold start figures of the last results written, to show beside today's. */
function previousColdStart(): BenchResults['coldStartSeconds'] | undefined {
  const latest = path.join(root, 'bench', 'results', 'latest.json');
  return existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')) as BenchResults).coldStartSeconds : undefined;
}

/**
 * `up --wait` of `services` (all when none) with fresh volumes, then again with them kept,
 * three times: the median of each, and whatever was not up in any of them. One start on two
 * shared cores can be seconds off; three tell a slow start from an unlucky one.
 */
async function coldStarts(...services: string[]): Promise<{ fresh: TimedStart; kept: TimedStart }> {
  const runs: Array<{ fresh: TimedStart; kept: TimedStart }> = [];
  for (let i = 0; i < 3; i += 1) {
    await stack.compose('down', '-v', '--remove-orphans');
    await stack.setAdmin();
    const fresh = await timeUp(stack, ...services);
    await stack.compose('down');
    runs.push({ fresh, kept: await timeUp(stack, ...services) });
  }
  const typical = (starts: TimedStart[]): TimedStart => ({
    seconds: median(starts.map((start) => start.seconds)),
    notUp: Object.assign({}, ...starts.map((start) => start.notUp)) as TimedStart['notUp'],
  });
  return { fresh: typical(runs.map((run) => run.fresh)), kept: typical(runs.map((run) => run.kept)) };
}

async function main(): Promise<void> {
  const before = previousColdStart();
  say('building images');
  await stack.compose('build');

  say('cold starts, three of each: fresh volumes, then kept (monitoring included: it is on by default)');
  const { fresh, kept } = await coldStarts();
  const monitoring = await monitoringServices(stack);
  // At rest: a few scrapes (every 5 s) in, nothing asked of the stack.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  const monitoringAfterStart = await runningMemory(stack, monitoring);

  say('the same cold starts of the shop alone (nginx and the Node services: no monitoring), to see what monitoring adds');
  const shopAlone = await coldStarts('nginx', ...NODE_SERVICES);
  // The phases up to the metrics phase measure the shop alone, as every run before did.

  const port = async (service: string, containerPort: number) => stack.hostPort(service, containerPort);
  const bases = async (): Promise<Bases> => ({
    direct: `http://127.0.0.1:${await port('products', 3000)}`,
    gateway: `http://127.0.0.1:${await port('api-gateway', 3000)}`,
    nginx: `http://127.0.0.1:${await port('nginx', 80)}`,
  });
  const base = await bases();

  say('memory at rest (a phase of its own: nothing else runs)');
  const idleMemory = await memory(stack, NODE_SERVICES);

  say('seeding: the admin logs in to make the products, a customer signs up and logs in to order');
  const data = await seed(base, await session(base.nginx, BENCH_ADMIN));
  const buyer = await session(base.nginx, data.customer);
  const scenarios = scenariosFor(base, data, buyer);

  say('warming up every path, orders included');
  for (const scenario of [scenarios.direct, scenarios.gateway, scenarios.full, scenarios.fullWithToken, scenarios.orders] as Scenario[]) {
    await load('warm-up', { ...scenario.options(0), duration: 3 });
  }

  say('CPU of each container at rest, to subtract from what the loads use');
  const idle = await idleRates(stack, ALL, 20);

  const measured: Record<keyof typeof scenarios, Measured> = {} as never;
  for (const [key, scenario] of Object.entries(scenarios) as Array<[keyof typeof scenarios, Scenario]>) {
    say(`${scenario.name}: three runs`);
    measured[key] = await measure(stack, scenario, idle);
  }

  say('memory under load (its own phase: the full path, then orders)');
  const underFull = await peakMemoryDuring(stack, NODE_SERVICES, load('memory', { ...scenarios.full.options(), duration: 8 }));
  const underOrders = await peakMemoryDuring(stack, NODE_SERVICES, load('memory', { ...scenarios.orders.options(), duration: 8 }));
  const higher = (a: MemoryFigures, b: MemoryFigures): MemoryFigures => (a.containerMb >= b.containerMb ? a : b);
  const underLoad = Object.fromEntries(NODE_SERVICES.map((s) => [s, higher(underFull.peak[s]!, underOrders.peak[s]!)]));

  say('image sizes, and the naive single-stage build of products');
  const images = await Promise.all([
    ...NODE_SERVICES.map((service) => imageSize(imageOf(service), 'node:24-alpine')),
    imageSize(imageOf('nginx'), 'nginx:1.28-alpine'),
  ]);
  await docker('build', '-q', '-f', 'bench/naive.Dockerfile', '-t', NAIVE_IMAGE, root);
  const naive = await imageSize(NAIVE_IMAGE, 'node:24');
  const optimized = images.find((image) => image.image === imageOf('products'))!;

  say('what metrics cost: the same loads with metrics on and off, with monitoring up');
  await stack.compose('up', '-d', '--wait', '--wait-timeout', '60').catch(() => say('not every monitoring container came up: measuring what did'));
  const now = async () => {
    const current = scenariosFor(await bases(), data, buyer);
    return [current.full, current.orders] as Scenario[];
  };
  const cost = await metricsCost({ on: stack, off: metricsOff }, now, say);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const monitoringAfterRun = await runningMemory(stack, monitoring);

  say('removing the bench stack');
  await stack.compose('down', '-v', '--remove-orphans', '--rmi', 'local');
  await docker('rmi', NAIVE_IMAGE);

  const standInBases = (await docker('image', 'inspect', '-f', '{{index .Config.Labels "ci-standin.for"}}', 'node:24-alpine')).trim() !== '';
  const coldStartSeconds = { freshVolumes: fresh.seconds, existingVolumes: kept.seconds };
  const coldStartNotUp: TimedStart['notUp'] = { ...fresh.notUp, ...kept.notUp };
  const monitoringFigures = {
    services: monitoring,
    shopAloneColdStart: { freshVolumes: shopAlone.fresh, existingVolumes: shopAlone.kept },
    memoryMb: { afterStart: monitoringAfterStart, afterRun: monitoringAfterRun },
  };
  const naiveFigures = {
    naive,
    optimized,
    gainTotalPercent: round((1 - optimized.totalMb / naive.totalMb) * 100),
    gainOwnLayersPercent: round((1 - optimized.ownMb / naive.ownMb) * 100),
  };
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.versions.node, docker: (await docker('version', '-f', '{{.Server.Version}}')).trim(), standInBases },
    runsPerLoad: 3,
    idleCpuMicrosPerSecond: Object.fromEntries(Object.entries(idle).map(([s, rate]) => [s, Math.round(rate)])),
    load: Object.values(measured).map((m) => m.load),
    cpuMicrosPerRequest: Object.fromEntries(Object.values(measured).map((m) => [m.load.name, m.cpu])),
    coldStartSeconds,
    coldStartNotUp,
    ...(before ? { previousColdStartSeconds: before } : {}),
    images,
    naive: naiveFigures,
    memoryMb: { idle: idleMemory, underLoad },
    monitoring: monitoringFigures,
    metricsCost: cost,
    targets: targets({ measured, coldStartSeconds, coldStartNotUp, before, images, naive: naiveFigures, idleMemory, monitoring: monitoringFigures, metricsCost: cost }),
  };
  console.log(writeResults(root, results));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stack.compose('down', '-v', '--remove-orphans').catch(() => undefined);
  process.exitCode = 1;
});
