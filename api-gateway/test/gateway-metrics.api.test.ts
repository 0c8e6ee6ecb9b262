import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createMetrics } from '@shopstack/metrics';
import { labelValues, metricValue } from '@shopstack/testing';
import { useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();
const { request, newProduct } = ctx;
const admin = () => ctx.fixture.shop.admin().then((account) => account.auth);

describe('gateway metrics', () => {
  it('labels requests by route template, never by the raw path: the label values stay few', async () => {
    const metrics = createMetrics('api-gateway');
    const own = ctx.fixture.startGateway({ metrics });
    for (let i = 0; i < 15; i += 1) {
      expect((await request(own).get(`/api/products/${uuidv7()}`)).status).toBe(404);
      expect((await request(own).get(`/api/nope/${uuidv7()}`)).status).toBe(404);
      expect((await request(own).get(`/api/orders/${uuidv7()}`)).status).toBe(401);
    }
    expect((await request(own).get('/api/products?limit=1')).status).toBe(200);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/api/products/:id', method: 'GET', status: '404' })).toBe(15);
    expect(await metricValue(metrics, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(15);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/api/orders/*', status: '401' })).toBe(15);
    expect(await labelValues(metrics, 'http_requests_total', 'route')).toEqual(['/api/orders/*', '/api/products/*', '/api/products/:id', 'unmatched']);
    // Behind it, products labels the same reads with its own template.
    expect(await labelValues(ctx.fixture.shop.metrics.products, 'http_requests_total', 'route')).not.toContainEqual(expect.stringMatching(/[0-9a-f]{8}-/));
    expect(await metricValue(ctx.fixture.shop.metrics.products, 'http_requests_total', { route: '/products/:id', status: '404' })).toBeGreaterThanOrEqual(15);
  });

  it('shows a breaker opening when its service stops, the calls it refused, and its closing after', async () => {
    const metrics = createMetrics('api-gateway');
    const own = ctx.fixture.startGateway({ metrics });
    const state = () => metricValue(metrics, 'circuit_breaker_state', { target: 'products' });
    const transitions = (to: string) => metricValue(metrics, 'circuit_breaker_transitions_total', { target: 'products', to });
    expect((await request(own).get('/api/products?limit=1')).status).toBe(200);
    expect(await state()).toBe(0);
    expect(await metricValue(metrics, 'downstream_attempts_total', { target: 'products', outcome: 'ok' })).toBe(1);
    await ctx.fixture.shop.whileDown('products', async () => {
      expect((await request(own).get('/api/products?limit=1')).status).toBe(503);
      expect(await state()).toBe(2);
      expect(await transitions('open')).toBe(1);
      expect(await metricValue(metrics, 'downstream_attempts_total', { target: 'products', outcome: 'unreachable' })).toBeGreaterThan(0);
      // The next call is refused by the open circuit, its one attempt never sent.
      const rejected = () => metricValue(metrics, 'downstream_attempts_total', { target: 'products', outcome: 'rejected' });
      const before = await rejected();
      expect((await request(own).get('/api/products?limit=1')).status).toBe(503);
      expect(await rejected()).toBe(before + 1);
      expect(await metricValue(metrics, 'downstream_request_duration_seconds', { target: 'products', outcome: 'rejected' })).toBe(1);
    });
    await vi.waitFor(async () => expect(await state()).toBe(1), { timeout: 3000 });
    expect((await request(own).get('/api/products?limit=1')).status).toBe(200);
    expect([await state(), await transitions('half_open'), await transitions('closed')]).toEqual([0, 1, 1]);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/api/products/*', status: '503' })).toBe(2);
  });

  it('counts the stale copies served while products is down, and the reads that found none', async () => {
    const metrics = createMetrics('api-gateway');
    const own = ctx.fixture.startGateway({ metrics });
    const productId = await newProduct();
    // A fresh read (a miss at products' cache) keeps the copy; the next is a hit there.
    expect((await request(own).get(`/api/products/${productId}`)).status).toBe(200);
    expect((await request(own).get(`/api/products/${productId}`)).status).toBe(200);
    const products = ctx.fixture.shop.metrics.products;
    expect(await metricValue(products, 'cache_requests_total', { cache: 'products', result: 'hit' })).toBeGreaterThan(0);
    expect(await metricValue(products, 'cache_requests_total', { cache: 'products', result: 'miss' })).toBeGreaterThan(0);
    await ctx.fixture.shop.whileDown('products', async () => {
      expect((await request(own).get(`/api/products/${productId}`)).headers['x-cache']).toBe('stale');
      expect((await request(own).get(`/api/products/${uuidv7()}`)).status).toBe(503);
    });
    expect(await metricValue(metrics, 'cache_requests_total', { cache: 'stale-products', result: 'stale' })).toBe(1);
    expect(await metricValue(metrics, 'cache_requests_total', { cache: 'stale-products', result: 'miss' })).toBe(1);
  });

  it('counts the requests its rate limit refused', async () => {
    const metrics = createMetrics('api-gateway');
    const own = ctx.fixture.startGateway({ redis: ctx.fixture.redisFor(), rateLimit: { max: 1, windowMs: 60_000 }, metrics });
    await vi.waitFor(async () => expect((await request(own).get('/ready')).status).toBe(200), { timeout: 5000 });
    // An address of its own (the gateway trusts one proxy's X-Forwarded-For): a count of its own in the shared Redis.
    const from = { 'X-Forwarded-For': `203.0.113.${Math.floor(Math.random() * 250) + 1}` };
    expect((await request(own).get('/api/products?limit=1').set(from)).status).toBe(200);
    expect((await request(own).get('/api/products?limit=1').set(from)).status).toBe(429);
    expect(await metricValue(metrics, 'rate_limited_requests_total', { limiter: 'api' })).toBe(1);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/api/*', status: '429' })).toBe(1);
  });

  it('does not serve /metrics on the port clients reach: a 404 JSON', async () => {
    const res = await request(ctx.gateway).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found' });
    expect((await request(ctx.gateway).get('/api/metrics').set(await admin())).status).toBe(404);
    // The gateway's own metrics are there all the same, with Redis seen as up.
    expect(await metricValue(ctx.fixture.metrics, 'redis_up')).toBe(1);
    expect(await ctx.fixture.metrics.registry.metrics()).toMatch(/^process_cpu_seconds_total\{service="api-gateway"\} /m);
  });
});
