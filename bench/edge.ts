// `npm run bench:edge`: what keeping connections to the gateway alive saves. The stack's
// nginx holds the gateway in an `upstream` with `resolve` (re-resolved in the background, so
// scaling needs no reload) and `keepalive`. A second nginx, same image, finds the gateway as
// the stack did before nginx 1.27.3 could do both: `proxy_pass` through a variable,
// re-resolved every second, which keeps no connection alive (a new TCP connection per
// request). Both serve the same cache-hit GET, in alternating rounds (so a busy moment on the
// machine hits both alike); each figure is the median of its rounds.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './compose-project.js';
import { BENCH_ADMIN, logIn } from './auth.js';
import { benchStack } from './bench-stack.js';
import { idleRates } from './cpu.js';
import { load } from './load.js';
import { measure, median, type Measured, type Scenario } from './measure.js';
import { postJson } from './seed.js';

const ROUNDS = 5;
const root = repoRoot();
const say = (message: string) => console.log(`[edge] ${message}`);

/** The stack's site template, with the gateway reached through a variable instead of the upstream. */
function perRequestTemplate(): string {
  const template = readFileSync(path.join(root, 'nginx', 'templates', 'site.inc.template'), 'utf8');
  const upstream = 'proxy_pass http://api_gateway;';
  if (!template.includes(upstream)) throw new Error('the nginx site template no longer proxies to the api_gateway upstream: update bench/edge.ts');
  const file = path.join(os.tmpdir(), `shopstack-edge-${process.pid}.inc.template`);
  writeFileSync(file, template.replace(upstream, 'set $api_gateway http://api-gateway:3000;\n    proxy_pass $api_gateway;'));
  return file;
}

const template = perRequestTemplate();
const stack = benchStack('shopstack-edge', root, { overlays: ['bench/compose.edge.yml'], env: { EDGE_PER_REQUEST_TEMPLATE: template } });

async function main(): Promise<void> {
  say('building and starting the stack, with a second nginx');
  await stack.setAdmin();
  await stack.compose('up', '--build', '-d', '--wait');
  try {
    const nginx = `http://127.0.0.1:${await stack.hostPort('nginx', 80)}`;
    const perRequest = `http://127.0.0.1:${await stack.hostPort('nginx-per-request', 80)}`;
    const admin = { authorization: `Bearer ${await logIn(nginx, BENCH_ADMIN)}` };
    const id = await postJson(`${nginx}/api/products`, { name: 'Edge mug', priceCents: 1500, stock: 10 }, admin);
    const scenario = (name: string, edge: string, base: string): Scenario => ({
      name,
      path: [edge, 'api-gateway', 'products', 'redis'],
      options: () => ({ url: `${base}/api/products/${id}`, duration: 10, connections: 10 }),
    });
    const scenarios = [
      scenario('upstream with resolve, keepalive 32 (the stack)', 'nginx', nginx),
      scenario('variable re-resolved every second, no keepalive (before)', 'nginx-per-request', perRequest),
    ] as const;

    say('warming both up, then the CPU of each container at rest');
    for (const s of scenarios) await load('warm-up', { ...s.options(0), duration: 3 });
    const idle = await idleRates(stack, [...new Set(scenarios.flatMap((s) => s.path))], 20);

    const rounds: Measured[][] = [[], []];
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 ? [1, 0] : [0, 1];
      for (const i of order) rounds[i]!.push(await measure(stack, scenarios[i]!, idle, 1));
      say(`round ${round + 1} of ${ROUNDS}`);
    }
    report(scenarios.map((s, i) => summary(s, rounds[i]!)));
  } finally {
    await stack.compose('down', '-v', '--rmi', 'local');
    rmSync(template);
  }
}

function summary(scenario: Scenario, runs: Measured[]) {
  const of = (pick: (m: Measured) => number) => median(runs.map(pick));
  return {
    name: scenario.name,
    throughput: of((m) => m.load.throughput),
    p50Ms: of((m) => m.load.p50Ms),
    p99Ms: of((m) => m.load.p99Ms),
    nginxMicros: of((m) => m.cpu[scenario.path[0]!]!),
    gatewayMicros: of((m) => m.cpu['api-gateway']!),
    failed: runs.reduce((sum, m) => sum + m.load.errors + m.load.non2xx, 0),
  };
}

function report(rows: Array<ReturnType<typeof summary>>): void {
  const [keptAlive, perRequest] = rows as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const result = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    rounds: ROUNDS,
    rows,
    throughputRatio: Math.round((keptAlive.throughput / perRequest.throughput) * 100) / 100,
  };
  const lines = [
    `| nginx → gateway, cache-hit GET (10 connections; median of ${ROUNDS} alternating rounds) | req/s | p50 ms | p99 ms | nginx µs/req | gateway µs/req | failed |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.throughput} | ${r.p50Ms} | ${r.p99Ms} | ${r.nginxMicros} | ${r.gatewayMicros} | ${r.failed} |`),
  ];
  console.log(`\n${lines.join('\n')}\n\nkept-alive connections serve ${result.throughputRatio}x the requests of a connection per request (a comparison: no target)`);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'edge.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
