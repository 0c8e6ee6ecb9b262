// `npm run bench:edge`: what nginx's way of finding the gateway costs. The stack's nginx
// re-resolves the gateway's name every second (a variable in proxy_pass, so scaling needs
// no reload), which leaves it without kept-alive connections to the gateway: a new TCP
// connection per request. A second nginx, same image, holds the gateway in an `upstream`
// block with `keepalive` instead. Both serve the same cache-hit GET, in alternating rounds
// (so a busy moment on the machine hits both alike); each figure is the median of its rounds.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeProject, repoRoot } from '@shopstack/testing';
import { idleRates } from './cpu.js';
import { load } from './load.js';
import { measure, median, type Measured, type Scenario } from './measure.js';

const ROUNDS = 5;
const root = repoRoot();
const say = (message: string) => console.log(`[edge] ${message}`);

/** The stack's nginx template, with the gateway in an upstream block with kept-alive connections. */
function keepAliveTemplate(): string {
  const template = readFileSync(path.join(root, 'nginx', 'templates', 'default.conf.template'), 'utf8');
  const variable = 'set $api_gateway http://api-gateway:3000;\n        proxy_pass $api_gateway;';
  const resolver = /^resolver .*$/m;
  if (!template.includes(variable) || !resolver.test(template)) throw new Error('the nginx template no longer proxies through $api_gateway: update bench/edge.ts');
  const file = path.join(os.tmpdir(), `shopstack-edge-${process.pid}.conf.template`);
  writeFileSync(
    file,
    template
      .replace(resolver, (line) => `${line}\nupstream api_gateway_kept_alive {\n    server api-gateway:3000;\n    keepalive 32;\n}`)
      .replace(variable, 'proxy_pass http://api_gateway_kept_alive;'),
  );
  return file;
}

const template = keepAliveTemplate();
const stack = composeProject({
  projectName: 'shopstack-edge',
  root,
  files: ['docker-compose.yml', 'bench/compose.bench.yml', 'bench/compose.edge.yml'],
  env: {
    EDGE_KEEPALIVE_TEMPLATE: template,
    HTTP_PORT: '127.0.0.1:0',
    RATE_LIMIT_MAX: '1000000000',
    NGINX_RATE_LIMIT: '1000000r/s',
    NGINX_RATE_BURST: '1000000',
    NGINX_CONNECTIONS_PER_IP: '1000',
  },
});

async function main(): Promise<void> {
  say('building and starting the stack, with a second nginx');
  await stack.compose('up', '--build', '-d', '--wait');
  try {
    const nginx = `http://127.0.0.1:${await stack.hostPort('nginx', 80)}`;
    const keptAlive = `http://127.0.0.1:${await stack.hostPort('nginx-keepalive', 80)}`;
    const created = await fetch(`${nginx}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Edge mug', priceCents: 1500, stock: 10 }),
    });
    if (created.status !== 201) throw new Error(`creating the product: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const scenario = (name: string, edge: string, base: string): Scenario => ({
      name,
      path: [edge, 'api-gateway', 'products', 'redis'],
      options: () => ({ url: `${base}/api/products/${id}`, duration: 10, connections: 10 }),
    });
    const scenarios = [
      scenario('re-resolved every second (the stack)', 'nginx', nginx),
      scenario('upstream block, keepalive 32', 'nginx-keepalive', keptAlive),
    ] as const;

    say('warming both up, then the CPU of each container at rest');
    for (const s of scenarios) await load('warm-up', { ...s.options(0), duration: 3 });
    const idle = await idleRates(stack, ['nginx', 'nginx-keepalive', 'api-gateway', 'products', 'redis'], 20);

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
  const [resolved, keptAlive] = rows as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const result = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    rounds: ROUNDS,
    rows,
    throughputRatio: Math.round((resolved.throughput / keptAlive.throughput) * 100) / 100,
  };
  const lines = [
    `| nginx → gateway, cache-hit GET (10 connections; median of ${ROUNDS} alternating rounds) | req/s | p50 ms | p99 ms | nginx µs/req | gateway µs/req | failed |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.throughput} | ${r.p50Ms} | ${r.p99Ms} | ${r.nginxMicros} | ${r.gatewayMicros} | ${r.failed} |`),
  ];
  console.log(`\n${lines.join('\n')}\n\nre-resolving serves ${result.throughputRatio}x the requests of kept-alive connections (a comparison: no target)`);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'edge.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
