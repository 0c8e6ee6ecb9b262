import { describe, expect, it, vi } from 'vitest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import { routesOf } from '@shopstack/service-kit';
import { useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();
const { request, newProduct } = ctx;
const admin = () => ctx.fixture.shop.admin().then((account) => account.auth);

describe('routing', () => {
  it('routes /api/users, /api/auth, /api/products and /api/orders to their services', async () => {
    const credentials = { email: `${uuidv7()}@example.com`, password: 'a long enough password' };
    const user = await request(ctx.gateway).post('/api/users').send({ ...credentials, name: 'Gia' });
    expect(user.status).toBe(201);
    expect(user.headers.location).toBe(`/api/users/${user.body.id}`);
    const login = await request(ctx.gateway).post('/api/auth/login').send(credentials);
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    expect((await request(ctx.gateway).get(`/api/users/${user.body.id}`).set(auth)).body.name).toBe('Gia');

    const productId = await newProduct();
    const product = await request(ctx.gateway).get(`/api/products/${productId}`);
    expect(product.status).toBe(200);
    expect(product.headers['x-cache']).toBe('miss');
    expect((await request(ctx.gateway).get('/api/products?limit=1')).body.items).toHaveLength(1);

    const key = uuidv7();
    const placeOrder = () =>
      request(ctx.gateway).post('/api/orders').set(auth).set('Idempotency-Key', key).send({ userId: user.body.id, items: [{ productId, quantity: 2 }] });
    const order = await placeOrder();
    expect(order.status).toBe(201);
    expect(order.body.totalCents).toBe(9000);
    const replay = await placeOrder();
    expect(replay.body.id).toBe(order.body.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await request(ctx.gateway).get(`/api/orders?userId=${user.body.id}`).set(auth)).body.total).toBe(1);
  });

  it('never lets a path climb out of its service into internal routes', async () => {
    const productId = await newProduct(5);
    const reservation = { items: [{ productId, quantity: 5 }] };
    for (const path of [`/api/products/%2e%2e/reservations/${uuidv7()}`, `/api/products/%2E%2E/reservations/${uuidv7()}`, `/api/users/..%2f../reservations/${uuidv7()}`]) {
      // As the admin, so that nothing but the path can stop it.
      const res = await request(ctx.gateway).put(path).set(await admin()).send(reservation);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect((await request(ctx.gateway).get(`/api/products/${productId}`)).body.stock).toBe(5);
  });

  it('passes the services’ errors through unchanged', async () => {
    const invalid = await request(ctx.gateway).post('/api/users').send({ email: 'nope' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    const wrongType = await request(ctx.gateway).post('/api/users').set('Content-Type', 'text/plain').send('hello');
    expect(wrongType.status).toBe(415);
    expect((await request(ctx.gateway).get(`/api/orders/${uuidv7()}`).set(await admin())).status).toBe(404);
  });

  it('answers 404 JSON for routes it does not know and 413 for bodies over its limit', async () => {
    const unknown = await request(ctx.gateway).get('/api/payments');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const huge = await request(ctx.gateway).post('/api/users').set('Content-Type', 'application/json').send(`"${'x'.repeat(1_100_000)}"`);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});

describe('request id', () => {
  it('keeps the incoming X-Request-ID, returns it and passes it to every service it calls', async () => {
    const requestId = `trace-${uuidv7()}`;
    const productId = await newProduct();
    const buyer = await ctx.fixture.shop.customer();
    const res = await request(ctx.gateway)
      .post('/api/orders')
      .set(buyer.auth)
      .set('X-Request-ID', requestId)
      .send({ userId: buyer.id, items: [{ productId, quantity: 1 }] });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    for (const service of ['gateway', 'orders', 'users', 'products'] as const) {
      expect(ctx.fixture.logs[service].lines().some((line) => line.requestId === requestId), service).toBe(true);
    }
  });

  it('makes one when there is none and the service logs that one', async () => {
    const res = await request(ctx.gateway).get(`/api/users/${uuidv7()}`).set(await admin());
    const made = res.headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error.requestId).toBe(made);
    expect(ctx.fixture.logs.users.lines().some((line) => line.requestId === made)).toBe(true);
  });
});

describe('rate limiting', () => {
  it('answers 429 JSON with Retry-After and RateLimit headers past the limit, per client IP', async () => {
    const limited = ctx.fixture.startGateway({ redis: ctx.fixture.redisFor(), rateLimit: { max: 3, windowMs: 60_000 } });
    await vi.waitFor(async () => expect((await request(limited).get('/ready')).status).toBe(200), { timeout: 5000 });
    const clientIp = `10.${Math.floor(Math.random() * 250)}.0.7`;
    // nginx appends the address it saw; only that last hop is trusted, so a spoofed first entry changes nothing.
    const from = (forwardedFor: string) => request(limited).get('/api/products?limit=1').set('X-Forwarded-For', forwardedFor);
    for (let i = 0; i < 3; i += 1) {
      const ok = await from(`203.0.113.${i}, ${clientIp}`);
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await from(clientIp);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', requestId: expect.any(String) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ratelimit-limit']).toBe('3');
    // Another client is not affected.
    expect((await from(`${clientIp}1`)).status).toBe(200);
  });

  it('holds across replicas: two gateways on one Redis share each client’s count', async () => {
    const limit = { max: 4, windowMs: 60_000 };
    const replicas = [ctx.fixture.startGateway({ redis: ctx.fixture.redisFor(), rateLimit: limit }), ctx.fixture.startGateway({ redis: ctx.fixture.redisFor(), rateLimit: limit })];
    for (const replica of replicas) {
      await vi.waitFor(async () => expect((await request(replica).get('/ready')).status).toBe(200), { timeout: 5000 });
    }
    const clientIp = `10.${Math.floor(Math.random() * 250)}.1.9`;
    const statuses: number[] = [];
    // Taking turns, as nginx spreads one client's requests over the replicas.
    for (let i = 0; i < 8; i += 1) {
      statuses.push((await request(replicas[i % 2]!).get('/api/products?limit=1').set('X-Forwarded-For', clientIp)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
  });
});

describe('passing answers on', () => {
  it('passes the service’s bytes, type and ETag on as they came, and a conditional GET gets its 304', async () => {
    const productId = await newProduct();
    const direct = await fetch(`${ctx.fixture.shop.url('products')}/products/${productId}`);
    const through = await request(ctx.gateway).get(`/api/products/${productId}`);
    expect(through.text).toBe(await direct.text());
    expect(through.headers['content-type']).toBe(direct.headers.get('content-type'));
    expect(through.headers.etag).toBe(direct.headers.get('etag'));
    const again = await request(ctx.gateway).get(`/api/products/${productId}`).set('If-None-Match', through.headers.etag!);
    expect(again.status).toBe(304);
    const head = await request(ctx.gateway).head(`/api/products/${productId}`);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(through.text)));
  });
});

describe('status and health', () => {
  it('reports each service’s readiness with its own checks, its breaker, and which gateway answered', async () => {
    const res = await request(ctx.gateway).get('/api/status').set(await admin());
    expect(res.status).toBe(200);
    expect(res.body.redis).toBe('up');
    expect(res.body.gateway).toEqual({ instance: expect.any(String) });
    for (const service of ['users', 'products', 'orders']) {
      expect(res.body.services[service]).toMatchObject({
        ready: true,
        checks: { postgres: 'up', redis: 'up' },
        breaker: { state: 'closed', counts: { fires: expect.any(Number), failures: expect.any(Number) } },
      });
    }
    expect(res.body.services.orders.breakers).toEqual({ users: 'closed', products: 'closed' });
  });

  it('reports a service that does not answer as not ready, with no checks', async () => {
    await ctx.fixture.shop.whileDown('orders', async () => {
      const { orders: down } = (await request(ctx.gateway).get('/api/status').set(await admin())).body.services;
      expect(down.ready).toBe(false);
      expect(down).not.toHaveProperty('checks');
    });
  });

  it('is live without dependencies and ready with Redis', async () => {
    expect((await request(ctx.gateway).get('/health')).body).toEqual({ status: 'ok' });
    expect((await request(ctx.gateway).get('/ready')).body).toEqual({ status: 'ready', checks: { redis: 'up' } });
  });
});

describe('the API document', () => {
  it('serves the OpenAPI document and a browsable reference of it', async () => {
    const res = await request(ctx.gateway).get('/api/openapi.json');
    expect(res.body).toEqual(openApiDocument());
    const page = await request(ctx.gateway).get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-initializer.js');
    expect((await request(ctx.gateway).get('/api/docs/swagger-initializer.js')).text).toContain("url: '../openapi.json'");
    expect((await request(ctx.gateway).get('/api/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('documents every public route, and no route that does not exist', () => {
    const { users, products, orders } = ctx.fixture.shop.apps;
    const served = [
      ...routesOf(ctx.gateway).filter((route) => !route.includes('/api/docs')),
      ...[users, products, orders].flatMap((app) => routesOf(app as Express).map((route) => route.replace(' ', ' /api'))),
    ];
    // Products' reservations are for orders only: the gateway forwards nothing outside /products.
    const publicRoutes = served.filter((route) => / \/api\/(users|auth|products|orders|status|monitoring|openapi\.json)\b/.test(route));
    expect([...new Set(publicRoutes)].sort()).toEqual(ctx.contract.documented());
  });

  it('answers OPTIONS on every documented path with exactly its documented methods', async () => {
    // As the admin: anonymous, most paths are a 401 before the service says anything.
    expect(await ctx.contract.served(ctx.gateway, await admin())).toEqual(ctx.contract.documented());
  });

  it('answers 405 with Allow for a method a known path does not take, and OPTIONS with 204 and Allow', async () => {
    // As the admin: anonymous, most of these paths are a 401 before the service says anything.
    const auth = await admin();
    for (const [method, path, allow] of [
      ['put', '/api/status', 'GET, HEAD'],
      ['put', '/api/openapi.json', 'GET, HEAD'],
      ['delete', '/api/users', 'GET, HEAD, POST'],
      ['post', `/api/products/${uuidv7()}`, 'GET, HEAD, PATCH'],
    ] as const) {
      const res = await request(ctx.gateway)[method](path).set(auth);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.error.code).toBe('method_not_allowed');
    }
    const options = await request(ctx.gateway).options('/api/orders').set(auth);
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, POST');
    expect((await request(ctx.gateway).options('/api/status')).headers.allow).toBe('GET, HEAD');
    const reference = await request(ctx.gateway).options('/api/openapi.json');
    expect(reference.status).toBe(204);
    expect(reference.headers.allow).toBe('GET, HEAD');
    // Served in part by the gateway (GET, with its stale copy), the rest by products: all of it is allowed.
    expect((await request(ctx.gateway).options(`/api/products/${uuidv7()}`)).headers.allow).toBe('GET, HEAD, PATCH');
  });
});
