import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shopstack/errors';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger, freePort, labelValues, listen, metricValue, type Listening } from '@shopstack/testing';
import { createServiceApp } from './create-service-app.js';
import { metricsListener, serveMetrics } from './metrics-server.js';
import { mountRoutes } from './routes.js';

const { logger } = captureLogger('things');
const metrics = createMetrics('things');
const app = createServiceApp({
  service: 'things',
  logger,
  metrics,
  readiness: {},
  routes: (target) => {
    // A mount whose handler refuses some requests before any route is chosen, as a token check does.
    const signedIn = (req: { headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
      if (!req.headers['authorization']) throw new AppError(401, 'unauthorized', 'Sign in');
      next();
    };
    mountRoutes(target, '/things', [signedIn], { '/': { get: (_req, res) => void res.json([]) }, '/:id': { get: (req, res) => void res.json({ id: req.params['id'] }) } });
    mountRoutes(target, '/', [], { '/open/:name': { get: (_req, res) => void res.json({}) } });
  },
});
let served: Listening;
let metricsServed: Listening;

beforeAll(async () => {
  [served, metricsServed] = await Promise.all([listen(app), listen(metricsListener(metrics))]);
});
afterAll(() => Promise.all([served.close(), metricsServed.close()]));

const get = (path: string, headers: Record<string, string> = { authorization: 'yes' }) => fetch(`${served.url}${path}`, { headers });

describe('HTTP metrics of a service app', () => {
  it('labels requests with route templates only, however many paths are tried', async () => {
    for (let i = 0; i < 30; i += 1) {
      await get(`/things/${randomUUID()}`);
      await get(`/open/${randomUUID()}`);
      await get(`/nope/${randomUUID()}`);
      await get(`/things/${randomUUID()}/deeper`);
    }
    await get('/things', {});
    await get('/health');
    expect(await metricValue(metrics, 'http_requests_total', { route: '/things/:id', method: 'GET', status: '200' })).toBe(30);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/open/:name', status: '200' })).toBe(30);
    expect(await metricValue(metrics, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(30);
    // Refused by the mount's handler before a route was chosen, or under it with no route: the mount's prefix.
    expect(await metricValue(metrics, 'http_requests_total', { route: '/things/*', status: '401' })).toBe(1);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/things/*', status: '404' })).toBe(30);
    expect(await labelValues(metrics, 'http_requests_total', 'route')).toEqual(['/health', '/open/:name', '/things/*', '/things/:id', 'unmatched']);
    expect(await metricValue(metrics, 'http_request_duration_seconds', { route: '/things/:id' })).toBe(30);
    expect(await metricValue(metrics, 'http_requests_in_flight')).toBe(0);
  });

  it('does not serve /metrics on the app: a 404 in the one error shape', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Route not found', requestId: expect.any(String) } });
  });
});

describe('the metrics listener', () => {
  it("serves GET /metrics in Prometheus's text format, labelled with the service, with the process's metrics", async () => {
    const res = await fetch(`${metricsServed.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^http_requests_total\{route="\/things\/:id",method="GET",status="200",service="things"\} \d+$/m);
    expect(text).toMatch(/^process_cpu_seconds_total\{service="things"\} /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="things"\} /m);
  });

  it('answers anything else with a JSON error: 404 elsewhere, 405 with Allow for another method', async () => {
    const elsewhere = await fetch(`${metricsServed.url}/orders`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: { code: 'not_found', requestId: expect.any(String) } });
    const posted = await fetch(`${metricsServed.url}/metrics`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    expect(await posted.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('listens on METRICS_PORT and closes', async () => {
    const port = await freePort();
    const server = serveMetrics({ METRICS_PORT: port }, metrics, logger);
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined))?.status).toBe(200);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});

describe('metrics switched off (METRICS=off)', () => {
  it('serves no metrics port, and the app answers as before', async () => {
    const off = createMetrics('things', { enabled: false });
    const offApp = createServiceApp({ service: 'things', logger, metrics: off, readiness: {}, routes: (target) => mountRoutes(target, '/', [], { '/open/:name': { get: (req, res) => void res.json({ name: req.params['name'] }) } }) });
    const port = await freePort();
    const server = serveMetrics({ METRICS_PORT: port }, off, logger);
    const served = await listen(offApp);
    try {
      expect(await (await fetch(`${served.url}/open/mug`)).json()).toEqual({ name: 'mug' });
      expect((await fetch(`${served.url}/health`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    } finally {
      await Promise.all([server.close(), served.close()]);
    }
  });
});
