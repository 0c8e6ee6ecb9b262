import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpMetrics, labelRoute } from './http-metrics.js';
import { createMetrics } from './metrics.js';

const metrics = createMetrics('test');
const middleware = httpMetrics(metrics);
let server: Server;
let base: string;
let releaseSlow: () => void = () => undefined;

beforeAll(async () => {
  // Express sets req.route and req.baseUrl; here a plain server plays both parts.
  server = createServer((req, res) =>
    middleware(req, res, () => {
      if (req.url?.startsWith('/items/')) {
        labelRoute(req, '/items/:id');
        res.statusCode = req.url.endsWith('/missing') ? 404 : 200;
        return void res.end('item');
      }
      if (req.url === '/express') {
        Object.assign(req, { baseUrl: '/orders', route: { path: '/:id' } });
        return void res.end('routed');
      }
      if (req.url === '/slow') return void (releaseSlow = () => res.end('late'));
      res.statusCode = 404;
      res.end('nothing here');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const count = async (labels: Record<string, string>) => {
  const { values } = await metrics.registry.getSingleMetric('http_requests_total')!.get();
  return values.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key as 'route'] === value)).reduce((sum, sample) => sum + sample.value, 0);
};
const inFlight = async () => (await metrics.registry.getSingleMetric('http_requests_in_flight')!.get()).values[0]!.value;

describe('httpMetrics', () => {
  it('counts and times each request by the route that took it, its method and status', async () => {
    await fetch(`${base}/items/1`);
    await fetch(`${base}/items/2`);
    await fetch(`${base}/items/missing`, { method: 'DELETE' });
    await fetch(`${base}/express`);
    expect(await count({ route: '/items/:id', method: 'GET', status: '200' })).toBe(2);
    expect(await count({ route: '/items/:id', method: 'DELETE', status: '404' })).toBe(1);
    expect(await count({ route: '/orders/:id', method: 'GET', status: '200' })).toBe(1);
    const text = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
    expect(text).toContain('http_request_duration_seconds_count{service="test",route="/items/:id",method="GET",status="200"} 2');
  });

  it('labels a request no route took `unmatched`, never with its path', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}/nope/${i}-${Math.random()}`)));
    expect(await count({ route: 'unmatched', status: '404' })).toBe(20);
    expect(await metrics.registry.getSingleMetricAsString('http_requests_total')).not.toContain('/nope');
  });

  it('holds a request in flight until it ends, and does not count one whose client left before the answer', async () => {
    const before = await count({});
    const controller = new AbortController();
    const slow = fetch(`${base}/slow`, { signal: controller.signal }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await inFlight()).toBe(1);
    controller.abort();
    expect(await slow).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await inFlight()).toBe(0);
    releaseSlow();
    expect(await count({})).toBe(before);
  });

  it('switched off, passes every request on and listens to none', () => {
    const off = httpMetrics(createMetrics('test', { enabled: false }));
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    let passed = false;
    off(res.req, res, () => (passed = true));
    expect(passed).toBe(true);
    expect(res.listenerCount('close')).toBe(0);
  });
});
