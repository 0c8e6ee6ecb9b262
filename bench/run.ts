// `npm run bench`: starts its own copy of the stack (project shopstack-bench, loopback
// ports only), measures it, removes it. Every load is bounded in time or count.
import os from 'node:os';
import { composeProject, docker, repoRoot } from '@shopstack/testing';
import { imageSize } from './images.js';
import { load, typicalLabel, typicalMs, type LoadOptions } from './load.js';
import { memory, peakMemoryDuring, type MemoryFigures } from './memory.js';
import { writeResults, type BenchResults, type Target } from './report.js';

const NODE_SERVICES = ['api-gateway', 'users', 'products', 'orders'] as const;
const NAIVE_IMAGE = 'shopstack/products:naive';
const root = repoRoot();
const stack = composeProject({
  projectName: 'shopstack-bench',
  root,
  files: ['docker-compose.yml', 'bench/compose.bench.yml'],
  // Limits out of the way: this measures the path, not the limiter.
  env: { HTTP_PORT: '0', RATE_LIMIT_MAX: '1000000000', NGINX_RATE_LIMIT: '1000000r/s', NGINX_RATE_BURST: '1000000' },
});

const say = (message: string) => console.log(`[bench] ${message}`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function timeUp(): Promise<number> {
  const startedAt = Date.now();
  await stack.compose('up', '-d', '--wait');
  return round((Date.now() - startedAt) / 1000, 1);
}

async function postJson(url: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string };
}

async function main(): Promise<void> {
  say('building images');
  await stack.compose('build');
  await stack.compose('down', '-v', '--remove-orphans');

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

  // Idle: started, healthy, no traffic yet.
  const idle = await memory(stack, NODE_SERVICES);

  say('seeding');
  const user = await postJson(`${base.nginx}/api/users`, { email: `bench-${Date.now()}@example.com`, name: 'Bench' });
  const product = await postJson(`${base.direct}/products`, { name: 'Bench mug', priceCents: 1500, stock: 1_000_000 });
  // Orders spread over 20 products, so the figure is the path's cost and not a queue on one row lock.
  const orderable = await Promise.all(Array.from({ length: 20 }, (_, i) => postJson(`${base.direct}/products`, { name: `Orderable ${i}`, priceCents: 500 + i, stock: 1_000_000 })));
  const unread: string[] = [];
  for (let batch = 0; batch < 60; batch += 1) {
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => postJson(`${base.direct}/products`, { name: `Unread ${batch}-${i}`, priceCents: 100, stock: 1 })));
    unread.push(...created.map((p) => p.id));
  }

  const productPath = `/products/${product.id}`;
  const hit = (url: string): LoadOptions => ({ url, duration: 10, connections: 10 });
  say('warming up');
  for (const url of [`${base.direct}${productPath}`, `${base.gateway}/api${productPath}`, `${base.nginx}/api${productPath}`]) await load('warm-up', { ...hit(url), duration: 3 });

  say('product GET: direct, through the gateway, through nginx + gateway');
  const direct = await load('GET product, straight to products (cache hit)', hit(`${base.direct}${productPath}`));
  const viaGateway = await load('GET product, through the gateway', hit(`${base.gateway}/api${productPath}`));
  const full = await peakMemoryDuring(stack, NODE_SERVICES, load('GET product, through nginx + gateway', hit(`${base.nginx}/api${productPath}`)));
  say('cache miss: each of 3000 products read once, straight from products');
  let next = 0;
  const miss = await load('GET product, straight to products (cache miss: database)', { url: base.direct, amount: unread.length, connections: 10, nextPath: () => `/products/${unread[next++ % unread.length]}` });
  say('POST /api/orders through nginx');
  let order = 0;
  const orders = await peakMemoryDuring(
    stack,
    NODE_SERVICES,
    load('POST /api/orders, through nginx + gateway', {
      url: `${base.nginx}/api/orders`,
      method: 'POST',
      duration: 10,
      connections: 10,
      headers: { 'content-type': 'application/json' },
      nextBody: () => JSON.stringify({ userId: user.id, items: [{ productId: orderable[order++ % orderable.length]!.id, quantity: 1 }] }),
    }),
  );
  const higher = (a: MemoryFigures, b: MemoryFigures): MemoryFigures => (a.containerMb >= b.containerMb ? a : b);
  const underLoad = Object.fromEntries(NODE_SERVICES.map((s) => [s, higher(full.peak[s]!, orders.peak[s]!)]));

  say('image sizes, and the naive single-stage build of products');
  const images = await Promise.all([
    ...NODE_SERVICES.map((service) => imageSize(`shopstack/${service}`, 'node:24-alpine')),
    imageSize('shopstack/nginx', 'nginx:1.28-alpine'),
  ]);
  await docker('build', '-q', '-f', 'bench/naive.Dockerfile', '-t', NAIVE_IMAGE, root);
  const naive = await imageSize(NAIVE_IMAGE, 'node:24');
  const optimized = images.find((image) => image.image === 'shopstack/products')!;

  say('removing the bench stack');
  await stack.compose('down', '-v', '--remove-orphans');
  await docker('rmi', NAIVE_IMAGE);

  const [hitMs, missMs] = [typicalMs(direct, miss), typicalMs(miss, direct)];
  const ratios = {
    gatewayThroughputShare: round(viaGateway.throughput / direct.throughput),
    gatewayLatencyOverhead: round(typicalMs(viaGateway, direct) / typicalMs(direct, viaGateway)),
    proxyThroughputShare: round(full.result.throughput / viaGateway.throughput),
    proxyLatencyOverhead: round(typicalMs(full.result, viaGateway) / typicalMs(viaGateway, full.result)),
    fullPathThroughputShare: round(full.result.throughput / direct.throughput),
    fullPathP99Ratio: round(full.result.p99Ms / direct.p99Ms),
    cacheSpeedup: round(missMs / hitMs),
  };
  const gainTotalPercent = round((1 - optimized.totalMb / naive.totalMb) * 100, 1);
  const gainOwnLayersPercent = round((1 - optimized.ownMb / naive.ownMb) * 100, 1);
  const standInBases = (await docker('image', 'inspect', '-f', '{{index .Config.Labels "ci-standin.for"}}', 'node:24-alpine')).trim() !== '';
  const cold = { freshVolumes, existingVolumes };

  const targets: Target[] = [
    { what: 'full-path throughput vs direct (cache hit)', figure: `${ratios.fullPathThroughputShare}x`, target: '>= 0.5x', met: ratios.fullPathThroughputShare >= 0.5 },
    { what: 'full-path p99 vs direct p99', figure: `${ratios.fullPathP99Ratio}x`, target: '<= 3x', met: ratios.fullPathP99Ratio <= 3 },
    {
      what: `cache hit vs cache miss, ${typicalLabel(direct, miss)}`,
      figure: `${round(hitMs / missMs)}x (miss is ${ratios.cacheSpeedup}x slower)`,
      target: '<= 0.5x',
      met: hitMs <= missMs / 2,
    },
    { what: 'every container healthy after `up` (fresh volumes)', figure: `${cold.freshVolumes} s`, target: '<= 20 s', met: cold.freshVolumes <= 20 },
    { what: 'every container healthy after `up` (volumes kept)', figure: `${cold.existingVolumes} s`, target: '<= 20 s', met: cold.existingVolumes <= 20 },
    ...images.filter((i) => i.base.startsWith('node')).map((i) => ({ what: `own layers of ${i.image}`, figure: `${i.ownMb} MB`, target: '<= 15 MB', met: i.ownMb <= 15 })),
    { what: 'naive to optimized image, total size', figure: `${gainTotalPercent} %`, target: '>= 85 %', met: gainTotalPercent >= 85 },
    { what: 'naive to optimized image, own layers', figure: `${gainOwnLayersPercent} %`, target: '>= 85 %', met: gainOwnLayersPercent >= 85 },
    ...NODE_SERVICES.map((s) => ({ what: `idle memory of ${s} (docker stats)`, figure: `${idle[s]!.containerMb} MB`, target: '<= 80 MB', met: idle[s]!.containerMb <= 80 })),
  ];

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.versions.node, docker: (await docker('version', '-f', '{{.Server.Version}}')).trim(), standInBases },
    load: [direct, viaGateway, full.result, miss, orders.result],
    ratios,
    coldStartSeconds: cold,
    images,
    naive: { naive, optimized, gainTotalPercent, gainOwnLayersPercent },
    memoryMb: { idle, underLoad },
    targets,
  };
  console.log(writeResults(root, results));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stack.compose('down', '-v', '--remove-orphans').catch(() => undefined);
  process.exitCode = 1;
});
