import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import * as orders from '@shopstack/orders';
import * as products from '@shopstack/products';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';
import { createDownstreamClient } from '@shopstack/http-client';
import { createBackgroundTasks, type DataStores } from '@shopstack/service-kit';
import {
  captureLogger,
  cleanUp,
  fastDownstream,
  freshDataStores,
  listen,
  startPostgres,
  startRedis,
  type Listening,
  type StartedPostgres,
  type StartedRedis,
} from '@shopstack/testing';
import * as users from '@shopstack/users';
import { createApp } from '../src/index.js';

// Fast retries (3 attempts a call) and a breaker that may open once 3 attempts have failed,
// and tries again after half a second.
const downstream = fastDownstream({ RETRY_ATTEMPTS: 2, RETRY_DEADLINE_MS: 500, BREAKER_VOLUME_THRESHOLD: 3, BREAKER_RESET_TIMEOUT_MS: 500 });

const logs = {
  gateway: captureLogger('api-gateway'),
  users: captureLogger('users'),
  products: captureLogger('products'),
  orders: captureLogger('orders'),
};
let postgres: StartedPostgres;
let redisContainer: StartedRedis;
const stores: DataStores[] = [];
const redisClients: RedisClient[] = [];
const servers: Record<'users' | 'products' | 'orders', Listening> = {} as never;
const apps: Record<'users' | 'products' | 'orders', Express> = {} as never;
let gateway: Express;
const background = createBackgroundTasks();

// The transport the gateway runs with (see server.ts).
const client = (service: 'users' | 'products' | 'orders') =>
  createDownstreamClient(service, servers[service].url, downstream, logs.gateway.logger, { transport: 'undici' });

/** A gateway with its own breakers, on the given Redis. */
function startGateway(redis: RedisClient, rateLimit = { max: 100_000, windowMs: 60_000 }): Express {
  return createApp({
    redis,
    logger: logs.gateway.logger,
    clients: { users: client('users'), products: client('products'), orders: client('orders') },
    rateLimit,
    trustProxyHops: 1,
    bodyLimit: '1mb',
    staleTtlSeconds: 3600,
  });
}

function redisFor(container: StartedRedis): RedisClient {
  const redis = createRedisClient(container.getConnectionUrl(), logs.gateway.logger);
  connectRedis(redis, logs.gateway.logger);
  redisClients.push(redis);
  return redis;
}

beforeAll(async () => {
  [postgres, redisContainer] = await Promise.all([startPostgres(), startRedis()]);
  const open = async (database: string, migrations: URL, service: keyof typeof logs) => {
    const opened = await freshDataStores({ postgres, redis: redisContainer, database, migrations, logger: logs[service].logger });
    stores.push(opened);
    return opened;
  };
  const [usersDb, productsDb, ordersDb] = await Promise.all([
    open('users_db', users.migrations, 'users'),
    open('products_db', products.migrations, 'products'),
    open('orders_db', orders.migrations, 'orders'),
  ]);
  apps.users = users.createApp({ ...usersDb, logger: logs.users.logger, cacheTtlSeconds: 60 });
  apps.products = products.createApp({ ...productsDb, logger: logs.products.logger, cacheTtlSeconds: 60 });
  [servers.users, servers.products] = await Promise.all([listen(apps.users), listen(apps.products)]);
  apps.orders = orders.createApp({
    ...ordersDb,
    logger: logs.orders.logger,
    idempotencyLockMs: 30_000,
    background,
    recovery: { intervalMs: 1000, abandonedAfterMs: 30_000, batchSize: 50 },
    clients: {
      users: createDownstreamClient('users', servers.users.url, downstream, logs.orders.logger),
      products: createDownstreamClient('products', servers.products.url, downstream, logs.orders.logger),
    },
  });
  servers.orders = await listen(apps.orders);
  gateway = startGateway(redisFor(redisContainer));
  await vi.waitFor(async () => expect((await request(gateway).get('/ready')).status).toBe(200), { timeout: 5000 });
});

afterAll(() =>
  cleanUp({
    background: () => background.settle(10_000),
    servers: () => Promise.all(Object.values(servers).map((server) => server?.close())),
    'redis clients': () => Promise.all(redisClients.map((redis) => closeRedis(redis))),
    stores: () => Promise.all(stores.map((opened) => opened.close())),
    containers: () => Promise.all([postgres?.stop(), redisContainer?.stop()]),
  }),
);

async function newProduct(stock = 10): Promise<string> {
  const res = await request(gateway).post('/api/products').send({ name: 'Lamp', priceCents: 4500, stock });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Takes a service off the network for the duration of `during`, then puts it back on its port. */
async function whileDown(service: 'users' | 'products' | 'orders', during: () => Promise<void>): Promise<void> {
  const { port } = servers[service];
  await servers[service].close();
  try {
    await during();
  } finally {
    servers[service] = await listen(apps[service], port);
  }
}

describe('routing', () => {
  it('routes /api/users, /api/products and /api/orders to their services', async () => {
    const user = await request(gateway).post('/api/users').send({ email: `${uuidv7()}@example.com`, name: 'Gia' });
    expect(user.status).toBe(201);
    expect(user.headers.location).toBe(`/api/users/${user.body.id}`);
    expect((await request(gateway).get(`/api/users/${user.body.id}`)).body.name).toBe('Gia');

    const productId = await newProduct();
    const product = await request(gateway).get(`/api/products/${productId}`);
    expect(product.status).toBe(200);
    expect(product.headers['x-cache']).toBe('miss');
    expect((await request(gateway).get('/api/products?limit=1')).body.items).toHaveLength(1);

    const key = uuidv7();
    const placeOrder = () =>
      request(gateway).post('/api/orders').set('Idempotency-Key', key).send({ userId: user.body.id, items: [{ productId, quantity: 2 }] });
    const order = await placeOrder();
    expect(order.status).toBe(201);
    expect(order.body.totalCents).toBe(9000);
    const replay = await placeOrder();
    expect(replay.body.id).toBe(order.body.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await request(gateway).get(`/api/orders?userId=${user.body.id}`)).body.total).toBe(1);
  });

  it('never lets a path climb out of its service into internal routes', async () => {
    const productId = await newProduct(5);
    const reservation = { items: [{ productId, quantity: 5 }] };
    for (const path of [`/api/products/%2e%2e/reservations/${uuidv7()}`, `/api/products/%2E%2E/reservations/${uuidv7()}`, `/api/users/..%2f../reservations/${uuidv7()}`]) {
      const res = await request(gateway).put(path).send(reservation);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect((await request(gateway).get(`/api/products/${productId}`)).body.stock).toBe(5);
  });

  it('passes the services’ errors through unchanged', async () => {
    const invalid = await request(gateway).post('/api/users').send({ email: 'nope' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    const wrongType = await request(gateway).post('/api/users').set('Content-Type', 'text/plain').send('hello');
    expect(wrongType.status).toBe(415);
    expect((await request(gateway).get(`/api/orders/${uuidv7()}`)).status).toBe(404);
  });

  it('answers 404 JSON for routes it does not know and 413 for bodies over its limit', async () => {
    const unknown = await request(gateway).get('/api/payments');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const huge = await request(gateway).post('/api/users').set('Content-Type', 'application/json').send(`"${'x'.repeat(1_100_000)}"`);
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});

describe('request id', () => {
  it('keeps the incoming X-Request-ID, returns it and passes it to every service it calls', async () => {
    const requestId = `trace-${uuidv7()}`;
    const productId = await newProduct();
    const user = await request(gateway).post('/api/users').send({ email: `${uuidv7()}@example.com`, name: 'Ida' });
    const res = await request(gateway)
      .post('/api/orders')
      .set('X-Request-ID', requestId)
      .send({ userId: user.body.id, items: [{ productId, quantity: 1 }] });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    for (const service of ['gateway', 'orders', 'users', 'products'] as const) {
      expect(logs[service].lines().some((line) => line.requestId === requestId), service).toBe(true);
    }
  });

  it('makes one when there is none and the service logs that one', async () => {
    const res = await request(gateway).get(`/api/users/${uuidv7()}`);
    const made = res.headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error.requestId).toBe(made);
    expect(logs.users.lines().some((line) => line.requestId === made)).toBe(true);
  });
});

describe('rate limiting', () => {
  it('answers 429 JSON with Retry-After and RateLimit headers past the limit, per client IP', async () => {
    const limited = startGateway(redisFor(redisContainer), { max: 3, windowMs: 60_000 });
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
    const replicas = [startGateway(redisFor(redisContainer), limit), startGateway(redisFor(redisContainer), limit)];
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
    const direct = await fetch(`${servers.products.url}/products/${productId}`);
    const through = await request(gateway).get(`/api/products/${productId}`);
    expect(through.text).toBe(await direct.text());
    expect(through.headers['content-type']).toBe(direct.headers.get('content-type'));
    expect(through.headers.etag).toBe(direct.headers.get('etag'));
    const again = await request(gateway).get(`/api/products/${productId}`).set('If-None-Match', through.headers.etag!);
    expect(again.status).toBe(304);
    const head = await request(gateway).head(`/api/products/${productId}`);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(through.text)));
  });
});

describe('resilience', () => {
  it('opens the breaker when a service fails, fails fast with 503 + Retry-After, and closes after it recovers', async () => {
    const own = startGateway(redisFor(redisContainer));
    const status = async () => (await request(own).get('/api/status')).body.services.users;
    expect((await status()).breaker.state).toBe('closed');
    await whileDown('users', async () => {
      // One call's own attempts are enough to open the circuit.
      const res = await request(own).get('/api/users?limit=1');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      const open = await status();
      expect(open).toMatchObject({ ready: false, breaker: { state: 'open' } });
      const startedAt = Date.now();
      const rejected = await request(own).get('/api/users?limit=1');
      expect(rejected.status).toBe(503);
      // Rejected by the open circuit without waiting for any downstream timeout.
      expect(Date.now() - startedAt).toBeLessThan(downstream.DOWNSTREAM_TIMEOUT_MS);
      expect((await status()).breaker.counts.rejects).toBeGreaterThan(0);
    });
    await vi.waitFor(async () => expect((await status()).breaker.state).toBe('half-open'), { timeout: 3000 });
    expect((await request(own).get('/api/users?limit=1')).status).toBe(200);
    expect((await status()).breaker.state).toBe('closed');
  });

  it('serves the last good copy of a product, marked stale, while products is down', async () => {
    const productId = await newProduct();
    const fresh = await request(gateway).get(`/api/products/${productId.toUpperCase()}`);
    expect(fresh.status).toBe(200);
    await request(gateway).patch(`/api/products/${productId}`).send({ stock: 11 });
    const updated = await request(gateway).get(`/api/products/${productId}`);
    expect(updated.headers['x-cache']).toBe('miss');
    // Read only with HEAD: that must not leave an empty body behind as its copy.
    const headOnly = await newProduct();
    expect((await request(gateway).head(`/api/products/${headOnly}`)).status).toBe(200);
    const neverSeen = uuidv7();
    await whileDown('products', async () => {
      const stale = await request(gateway).get(`/api/products/${productId}`);
      expect(stale.status).toBe(200);
      expect(stale.headers['x-cache']).toBe('stale');
      expect(Number(stale.headers.age)).toBeGreaterThanOrEqual(0);
      expect(stale.body).toEqual(updated.body);
      expect((await request(gateway).get(`/api/products/${headOnly}`)).status).toBe(503);
      // No copy to fall back on: a 503 JSON with Retry-After.
      const none = await request(gateway).get(`/api/products/${neverSeen}`);
      expect(none.status).toBe(503);
      expect(none.headers['retry-after']).toBeDefined();
      expect(none.body.error.code).toBe('service_unavailable');
    });
    await vi.waitFor(async () => {
      const back = await request(gateway).get(`/api/products/${productId}`);
      expect(back.headers['x-cache']).not.toBe('stale');
    }, { timeout: 3000 });
  });

  it('keeps answering when Redis is down: rate limiting and caching degrade, the API stays up', async () => {
    const ownRedis = await startRedis();
    const own = startGateway(redisFor(ownRedis), { max: 1, windowMs: 60_000 });
    await vi.waitFor(async () => expect((await request(own).get('/ready')).status).toBe(200), { timeout: 5000 });
    await ownRedis.stop();
    expect((await request(own).get('/ready')).status).toBe(503);
    for (let i = 0; i < 3; i += 1) expect((await request(own).get('/api/products?limit=1')).status).toBe(200);
    expect((await request(own).get('/api/status')).body.redis).toBe('down');
  });
});

describe('status and health', () => {
  it('reports each service’s readiness with its own checks, its breaker, and which gateway answered', async () => {
    const res = await request(gateway).get('/api/status');
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
    await whileDown('orders', async () => {
      const { orders: down } = (await request(gateway).get('/api/status')).body.services;
      expect(down.ready).toBe(false);
      expect(down).not.toHaveProperty('checks');
    });
  });

  it('is live without dependencies and ready with Redis', async () => {
    expect((await request(gateway).get('/health')).body).toEqual({ status: 'ok' });
    expect((await request(gateway).get('/ready')).body).toEqual({ status: 'ready', checks: { redis: 'up' } });
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
    const miss = timings((await request(gateway).get(`/api/products/${productId}`)).headers['server-timing']);
    expect([...miss.keys()]).toEqual(expect.arrayContaining(['gateway', 'gateway-ratelimit', 'gateway-products', 'products', 'products-cache', 'products-db']));
    expect(miss.get('gateway-products')!.desc).toBe('1 attempt');
    expect(miss.get('products-cache')!.desc).toBe('miss');
    expect(miss.get('gateway')!.dur).toBeGreaterThanOrEqual(miss.get('gateway-products')!.dur);
    expect(miss.get('gateway-products')!.dur).toBeGreaterThanOrEqual(miss.get('products')!.dur);

    const hit = timings((await request(gateway).get(`/api/products/${productId}`)).headers['server-timing']);
    expect(hit.get('products-cache')!.desc).toBe('hit');
    expect(hit.has('products-db')).toBe(false);
  });

  it('passes on the timings of the services orders calls, so an order shows every hop', async () => {
    const user = await request(gateway).post('/api/users').send({ email: `${uuidv7()}@example.com`, name: 'Tim' });
    const productId = await newProduct();
    const order = await request(gateway)
      .post('/api/orders')
      .set('Idempotency-Key', uuidv7())
      .send({ userId: user.body.id, items: [{ productId, quantity: 1 }] });
    expect(order.status).toBe(201);
    const names = [...timings(order.headers['server-timing']).keys()];
    expect(names).toEqual(
      expect.arrayContaining(['gateway', 'gateway-orders', 'orders', 'orders-lock', 'orders-users', 'orders-products', 'orders-db', 'users', 'users-cache', 'products', 'products-db']),
    );
  });
});
