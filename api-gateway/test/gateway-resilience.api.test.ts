import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { startRedis } from '@shopstack/testing';
import { downstream, useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();
const { request, newProduct } = ctx;
const admin = () => ctx.fixture.shop.admin().then((account) => account.auth);

describe('resilience', () => {
  it('opens the breaker when a service fails, fails fast with 503 + Retry-After, and closes after it recovers', async () => {
    const own = ctx.fixture.startGateway({ redis: ctx.fixture.redisFor() });
    const auth = await admin();
    const status = async () => (await request(own).get('/api/status').set(auth)).body.services.users;
    expect((await status()).breaker.state).toBe('closed');
    await ctx.fixture.shop.whileDown('users', async () => {
      // One call's own attempts are enough to open the circuit.
      const res = await request(own).get('/api/users?limit=1').set(auth);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      const open = await status();
      expect(open).toMatchObject({ ready: false, breaker: { state: 'open' } });
      const startedAt = Date.now();
      const rejected = await request(own).get('/api/users?limit=1').set(auth);
      expect(rejected.status).toBe(503);
      // Rejected by the open circuit without waiting for any downstream timeout.
      expect(Date.now() - startedAt).toBeLessThan(downstream.DOWNSTREAM_TIMEOUT_MS);
      expect((await status()).breaker.counts.rejects).toBeGreaterThan(0);
    });
    await vi.waitFor(async () => expect((await status()).breaker.state).toBe('half-open'), { timeout: 3000 });
    expect((await request(own).get('/api/users?limit=1').set(auth)).status).toBe(200);
    expect((await status()).breaker.state).toBe('closed');
  });

  it('serves the last good copy of a product, marked stale, while products is down', async () => {
    const productId = await newProduct();
    const fresh = await request(ctx.gateway).get(`/api/products/${productId.toUpperCase()}`);
    expect(fresh.status).toBe(200);
    await request(ctx.gateway).patch(`/api/products/${productId}`).set(await admin()).send({ stock: 11 });
    const updated = await request(ctx.gateway).get(`/api/products/${productId}`);
    expect(updated.headers['x-cache']).toBe('miss');
    // Read only with HEAD: that must not leave an empty body behind as its copy.
    const headOnly = await newProduct();
    expect((await request(ctx.gateway).head(`/api/products/${headOnly}`)).status).toBe(200);
    const neverSeen = uuidv7();
    await ctx.fixture.shop.whileDown('products', async () => {
      const stale = await request(ctx.gateway).get(`/api/products/${productId}`);
      expect(stale.status).toBe(200);
      expect(stale.headers['x-cache']).toBe('stale');
      expect(Number(stale.headers.age)).toBeGreaterThanOrEqual(0);
      expect(stale.body).toEqual(updated.body);
      expect((await request(ctx.gateway).get(`/api/products/${headOnly}`)).status).toBe(503);
      // No copy to fall back on: a 503 JSON with Retry-After.
      const none = await request(ctx.gateway).get(`/api/products/${neverSeen}`);
      expect(none.status).toBe(503);
      expect(none.headers['retry-after']).toBeDefined();
      expect(none.body.error.code).toBe('service_unavailable');
    });
    await vi.waitFor(async () => {
      const back = await request(ctx.gateway).get(`/api/products/${productId}`);
      expect(back.headers['x-cache']).not.toBe('stale');
    }, { timeout: 3000 });
  });

  it('keeps answering when Redis is down: rate limiting and caching degrade, the API stays up', async () => {
    const ownRedis = await startRedis();
    const own = ctx.fixture.startGateway({ redis: ctx.fixture.redisFor(ownRedis), rateLimit: { max: 1, windowMs: 60_000 } });
    await vi.waitFor(async () => expect((await request(own).get('/ready')).status).toBe(200), { timeout: 5000 });
    await ownRedis.stop();
    expect((await request(own).get('/ready')).status).toBe(503);
    for (let i = 0; i < 3; i += 1) expect((await request(own).get('/api/products?limit=1')).status).toBe(200);
    expect((await request(own).get('/api/status').set(await admin())).body.redis).toBe('down');
  });
});

/** Server-Timing entries by name: { dur, desc } of the first of each name. */
function timings(header: string | undefined): Map<string, { dur: number; desc?: string }> {
  const entries = new Map<string, { dur: number; desc?: string }>();
  for (const entry of (header ?? '').split(/,\s*/)) {
    const [name = '', ...params] = entry.split(';');
    const values = Object.fromEntries(params.map((param) => param.split('=') as [string, string]));
    if (!entries.has(name)) entries.set(name, { dur: Number(values['dur']), ...(values['desc'] ? { desc: values['desc'].replace(/^"|"$/g, '') } : {}) });
  }
  return entries;
}

describe('Server-Timing', () => {
  it('tells where a read spent its time, hop by hop: gateway, its call, the service, its cache and database', async () => {
    const productId = await newProduct();
    const miss = timings((await request(ctx.gateway).get(`/api/products/${productId}`)).headers['server-timing']);
    expect([...miss.keys()]).toEqual(expect.arrayContaining(['gateway', 'gateway-ratelimit', 'gateway-products', 'products', 'products-cache', 'products-db']));
    expect(miss.get('gateway-products')!.desc).toBe('1 attempt');
    expect(miss.get('products-cache')!.desc).toBe('miss');
    expect(miss.get('gateway')!.dur).toBeGreaterThanOrEqual(miss.get('gateway-products')!.dur);
    expect(miss.get('gateway-products')!.dur).toBeGreaterThanOrEqual(miss.get('products')!.dur);

    const hit = timings((await request(ctx.gateway).get(`/api/products/${productId}`)).headers['server-timing']);
    expect(hit.get('products-cache')!.desc).toBe('hit');
    expect(hit.has('products-db')).toBe(false);
  });

  it('passes on the timings of the services orders calls, so an order shows every hop', async () => {
    const buyer = await ctx.fixture.shop.customer();
    const productId = await newProduct();
    const order = await request(ctx.gateway)
      .post('/api/orders')
      .set(buyer.auth)
      .set('Idempotency-Key', uuidv7())
      .send({ userId: buyer.id, items: [{ productId, quantity: 1 }] });
    expect(order.status).toBe(201);
    const names = [...timings(order.headers['server-timing']).keys()];
    expect(names).toEqual(
      expect.arrayContaining(['gateway', 'gateway-orders', 'orders', 'orders-lock', 'orders-users', 'orders-products', 'orders-db', 'users', 'users-cache', 'products', 'products-db']),
    );
  });
});
