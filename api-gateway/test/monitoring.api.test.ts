import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { Express } from 'express';
import type { MonitoringOverview, Series } from '@shopstack/api-contract';
import type { Account } from '@shopstack/testing';
import { monitoringAt, useGatewayFixture } from './gateway-fixture.js';

// GET /api/monitoring/overview against a real Prometheus, scraping metrics this file serves:
// figures chosen so that each query's answer is known in advance.

const ctx = useGatewayFixture();
const { request } = ctx;

/** The stack's Prometheus (docker-compose.yml). */
const PROMETHEUS_IMAGE = 'prom/prometheus:v3.5.0';

// Counters that grow steadily from the first scrape: 30 answers/s 200 and 10/s 503 on the
// gateway, every one between 50 and 100 ms; 5/s 200 on users, as fast.
const started = Date.now();
const histogram = (service: string, perSecond: number, t: number) =>
  ['0.05', '0.1', '+Inf']
    .map((le) => `http_request_duration_seconds_bucket{service="${service}",route="/x",method="GET",status="200",le="${le}"} ${le === '0.05' ? 0 : perSecond * t}`)
    .join('\n');
const EXPOSITIONS: Record<string, (t: number) => string> = {
  'api-gateway': (t) =>
    [
      `http_requests_total{service="api-gateway",route="/api/products",method="GET",status="200"} ${30 * t}`,
      `http_requests_total{service="api-gateway",route="/api/products",method="GET",status="503"} ${10 * t}`,
      histogram('api-gateway', 40, t),
      'circuit_breaker_state{service="api-gateway",target="products"} 2',
      'circuit_breaker_state{service="api-gateway",target="users"} 0',
      'circuit_breaker_transitions_total{service="api-gateway",target="products",to="open"} 2',
      'circuit_breaker_transitions_total{service="api-gateway",target="products",to="half_open"} 1',
      'circuit_breaker_transitions_total{service="api-gateway",target="products",to="closed"} 1',
    ].join('\n'),
  users: (t) => [`http_requests_total{service="users",route="/users/me",method="GET",status="200"} ${5 * t}`, histogram('users', 5, t)].join('\n'),
  orders: () => ['pending_reservations{service="orders"} 3', 'pending_reservation_oldest_age_seconds{service="orders"} 12.5'].join('\n'),
};

let metrics: Server;
let prometheus: StartedTestContainer;
let gateway: Express;
let admin: Account;

/**
 * Every service a job scraped every second; products' target answers 503, as a stopped one
 * fails. With the stack's own rules for the services: the time budgets are among them.
 */
function prometheusConfig(port: number): string {
  const job = (name: string) => `  - job_name: ${name}\n    metrics_path: /metrics/${name}\n    static_configs: [{ targets: ['host.docker.internal:${port}'] }]`;
  const head = ['global: { scrape_interval: 1s, evaluation_interval: 1s }', 'rule_files: [rules/services.yml]', 'scrape_configs:'];
  return [...head, ...['api-gateway', 'users', 'products', 'orders'].map(job), ''].join('\n');
}
const SERVICES_RULES = readFileSync(new URL('../../monitoring/rules/services.yml', import.meta.url), 'utf8');

beforeAll(async () => {
  metrics = createServer((req, res) => {
    const expose = EXPOSITIONS[req.url?.replace('/metrics/', '') ?? ''];
    if (!expose) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${expose((Date.now() - started) / 1000)}\n`);
  });
  // On every interface: the container reaches this machine through the Docker host's gateway.
  await new Promise<void>((resolve) => metrics.listen(0, '0.0.0.0', resolve));
  prometheus = await new GenericContainer(PROMETHEUS_IMAGE)
    .withExtraHosts([{ host: 'host.docker.internal', ipAddress: 'host-gateway' }])
    .withCopyContentToContainer([
      { content: prometheusConfig((metrics.address() as AddressInfo).port), target: '/etc/prometheus/prometheus.yml', mode: 0o644 },
      { content: SERVICES_RULES, target: '/etc/prometheus/rules/services.yml', mode: 0o644 },
    ])
    .withExposedPorts(9090)
    .withWaitStrategy(Wait.forHttp('/-/ready', 9090))
    .start();
  gateway = ctx.fixture.startGateway({ monitoring: monitoringAt(`http://${prometheus.getHost()}:${prometheus.getMappedPort(9090)}`) });
  admin = await ctx.fixture.shop.admin();
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise<void>((resolve) => (metrics ? metrics.close(() => resolve()) : resolve()));
});

const last = (series: Series) => series.at(-1)?.[1];

describe('the monitoring overview, from Prometheus', () => {
  it('answers the last 15 minutes of each service, its breakers and the pending reservations', async () => {
    let overview: MonitoringOverview | undefined;
    await vi.waitFor(
      async () => {
        const res = await request(gateway).get('/api/monitoring/overview').set(admin.auth);
        expect(res.status).toBe(200);
        overview = res.body as MonitoringOverview;
        // Until a minute of samples is in, a rate covers only part of its window, so is below
        // the counters' slopes (40/s and 5/s): by about as much for both, after a few scrapes.
        const { 'api-gateway': gatewayRate, users: usersRate } = overview.services;
        expect(last(gatewayRate.requestsPerSecond)! / last(usersRate.requestsPerSecond)!).toBeCloseTo(8, 0);
      },
      { timeout: 40_000, interval: 1000 },
    );
    const { range, services, breakers, reservations } = overview!;
    expect(range.end).toBeGreaterThan(Date.now() / 1000 - 30);
    expect(range).toEqual({ start: range.end - 900, end: range.end, stepSeconds: 15 });
    // One point per step at most, on the steps.
    for (const series of [services['api-gateway'].targetsUp, reservations.pending]) {
      expect(series.length).toBeLessThanOrEqual(61);
      for (const [time] of series) expect((time - range.start) % 15).toBe(0);
    }

    const gatewayRow = services['api-gateway'];
    expect(last(gatewayRow.targetsUp)).toBe(1);
    expect(last(gatewayRow.errorRatio)).toBeCloseTo(0.25, 2);
    // All between 50 and 100 ms: Prometheus interpolates inside the bucket.
    expect(last(gatewayRow.p95Seconds)).toBeCloseTo(0.0975, 3);
    // No 5xx at all is a ratio of 0, not a gap.
    expect(last(services.users.errorRatio)).toBe(0);
    // Products' target fails: scraped, and down.
    expect(last(services.products.targetsUp)).toBe(0);
    expect(services.products.requestsPerSecond).toEqual([]);
    // Orders answered no request: no rate, no ratio, no p95, gaps rather than zeros.
    expect(last(services.orders.targetsUp)).toBe(1);
    expect(services.orders.p95Seconds).toEqual([]);
    expect(services.orders.errorRatio).toEqual([]);
    // The budgets the SlowAnswers alert uses (monitoring/rules/services.yml), read from Prometheus.
    expect(Object.values(services).map((service) => service.timeBudgetSeconds)).toEqual([10, 2, 2, 10]);

    expect(breakers.map(({ caller, target, transitions }) => ({ caller, target, transitions }))).toEqual([
      // Counters created since the range began: their whole values are transitions within it.
      { caller: 'api-gateway', target: 'products', transitions: { open: 2, half_open: 1, closed: 1 } },
      { caller: 'api-gateway', target: 'users', transitions: { open: 0, half_open: 0, closed: 0 } },
    ]);
    expect(last(breakers[0]!.state)).toBe(2);
    expect(last(reservations.pending)).toBe(3);
    expect(last(reservations.oldestAgeSeconds)).toBe(12.5);
  });

  it('takes nothing from the request: a query string changes neither the queries nor the range', async () => {
    const res = await request(gateway).get('/api/monitoring/overview?query=up&start=0&step=1').set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.range.end - res.body.range.start).toBe(900);
    expect(res.body.range.stepSeconds).toBe(15);
    expect(last(res.body.services.orders.targetsUp)).toBe(1);
  });

  it('refuses anyone but an admin: 401 with WWW-Authenticate without a token, 403 for a customer', async () => {
    const anonymous = await request(gateway).get('/api/monitoring/overview');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="shopstack"');
    const customer = await request(gateway).get('/api/monitoring/overview').set((await ctx.fixture.shop.customer()).auth);
    expect(customer.status).toBe(403);
    expect(customer.body.error.code).toBe('forbidden');
  });
});

describe('the monitoring overview without Prometheus', () => {
  let silent: Server;
  beforeAll(async () => {
    // Accepts connections and never answers: a Prometheus that hangs.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    silent.closeAllConnections();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('answers 503 monitoring_unavailable with Retry-After, whether nothing listens or nothing answers in time', async () => {
    const hanging = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    for (const url of ['http://127.0.0.1:1', hanging]) {
      const own = ctx.fixture.startGateway({ monitoring: monitoringAt(url, 300) });
      const began = Date.now();
      const res = await request(own).get('/api/monitoring/overview').set(admin.auth);
      expect(res.status, url).toBe(503);
      expect(res.body.error.code).toBe('monitoring_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(Date.now() - began).toBeLessThan(2000);
    }
  });
});
