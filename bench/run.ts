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
import { measure, type Measured, type Scenario } from './measure.js';
import { memory, peakMemoryDuring, type MemoryFigures } from './memory.js';
import { writeResults, type BenchResults } from './report.js';
import { seed } from './seed.js';
import { targets } from './targets.js';

const NODE_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
const ALL = ['nginx', ...NODE_SERVICES, 'users-db', 'products-db', 'orders-db', 'redis'] as const;
const PROJECT = 'shopstack-bench';
/** Compose names a built image after its project and service. */
const imageOf = (service: string) => `${PROJECT}-${service}`;
const NAIVE_IMAGE = `${imageOf('products')}:naive`;
const root = repoRoot();
const stack = benchStack(PROJECT, root);

const say = (message: string) => console.log(`[bench] ${message}`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function timeUp(): Promise<number> {
  const startedAt = Date.now();
  await stack.compose('up', '-d', '--wait');
  return round((Date.now() - startedAt) / 1000);
}

/** The cold start figures of the last results written, to show beside today's. */
function previousColdStart(): BenchResults['coldStartSeconds'] | undefined {
  const latest = path.join(root, 'bench', 'results', 'latest.json');
  return existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')) as BenchResults).coldStartSeconds : undefined;
}

async function main(): Promise<void> {
  const before = previousColdStart();
  say('building images');
  await stack.compose('build');
  await stack.compose('down', '-v', '--remove-orphans');
  await stack.setAdmin();

  say('cold start with fresh volumes, then again with the volumes kept');
  const freshVolumes = await timeUp();
  await stack.compose('down');
  const existingVolumes = await timeUp();

  const port = async (service: string, containerPort: number) => stack.hostPort(service, containerPort);
  const base = {
    direct: `http://127.0.0.1:${await port('products', 3000)}`,
    gateway: `http://127.0.0.1:${await port('api-gateway', 3000)}`,
    nginx: `http://127.0.0.1:${await port('nginx', 80)}`,
  };

  say('memory at rest (a phase of its own: nothing else runs)');
  const idleMemory = await memory(stack, NODE_SERVICES);

  say('seeding: the admin logs in to make the products, a customer signs up and logs in to order');
  const data = await seed(base, await session(base.nginx, BENCH_ADMIN));
  const buyer = await session(base.nginx, data.customer);
  const productPath = `/products/${data.product}`;
  const hit = (url: string) => () => ({ url, duration: 10, connections: 10 });
  // Read when each run starts: the session renews its token while the bench goes on.
  const withToken = (url: string) => () => ({ ...hit(url)(), headers: { authorization: buyer.authorization } });
  let order = 0;
  const placeOrders = () => ({
    url: `${base.nginx}/api/orders`,
    method: 'POST' as const,
    duration: 10,
    connections: 10,
    headers: { 'content-type': 'application/json', authorization: buyer.authorization },
    nextBody: () => JSON.stringify({ userId: data.customer.id, items: [{ productId: data.orderable[order++ % data.orderable.length]!, quantity: 1 }] }),
  });
  const scenarios = {
    direct: { name: 'GET product, straight to products (cache hit)', path: ['products', 'redis'], options: hit(`${base.direct}${productPath}`) },
    gateway: { name: 'GET product, through the gateway', path: ['api-gateway', 'products', 'redis'], options: hit(`${base.gateway}/api${productPath}`) },
    full: { name: 'GET product, through nginx + gateway', path: ['nginx', 'api-gateway', 'products', 'redis'], options: hit(`${base.nginx}/api${productPath}`) },
    // The same request with a customer's bearer token, which the gateway and products each
    // verify against users' cached keys. users is watched to show it is not called.
    fullWithToken: {
      name: 'GET product, through nginx + gateway, with a bearer token',
      path: ['nginx', 'api-gateway', 'products', 'redis', 'users'],
      options: withToken(`${base.nginx}/api${productPath}`),
    },
    miss: {
      name: 'GET product, straight to products (cache miss: database)',
      path: ['products', 'products-db', 'redis'],
      // Each run reads its own batch of products, each once: every read is a miss.
      options: (run: number) => {
        let next = 0;
        const batch = data.unread[run]!;
        return { url: base.direct, amount: batch.length, connections: 10, nextPath: () => `/products/${batch[next++ % batch.length]}` };
      },
    },
    orders: { name: 'POST /api/orders, through nginx + gateway (bearer token)', path: ALL, options: placeOrders },
  } satisfies Record<string, Scenario>;

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
  const underOrders = await peakMemoryDuring(stack, NODE_SERVICES, load('memory', { ...placeOrders(), duration: 8 }));
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

  say('removing the bench stack');
  await stack.compose('down', '-v', '--remove-orphans', '--rmi', 'local');
  await docker('rmi', NAIVE_IMAGE);

  const standInBases = (await docker('image', 'inspect', '-f', '{{index .Config.Labels "ci-standin.for"}}', 'node:24-alpine')).trim() !== '';
  const coldStartSeconds = { freshVolumes, existingVolumes };
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
    ...(before ? { previousColdStartSeconds: before } : {}),
    images,
    naive: naiveFigures,
    memoryMb: { idle: idleMemory, underLoad },
    targets: targets({ measured, coldStartSeconds, before, images, naive: naiveFigures, idleMemory }),
  };
  console.log(writeResults(root, results));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stack.compose('down', '-v', '--remove-orphans').catch(() => undefined);
  process.exitCode = 1;
});
