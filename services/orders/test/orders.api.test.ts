import type { RequestListener } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import * as products from '@shopstack/products';
import { createContract, type RunningServices, startServices } from '@shopstack/testing';
import * as users from '@shopstack/users';
import * as orders from '../src/index.js';

// Every answer these tests receive must match the API document (see createContract).
const contract = createContract(openApiDocument(), { prefix: '/api' });
const request = contract.request;
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

let shop: RunningServices;
let app: RequestListener;

beforeAll(async () => {
  shop = await startServices({ users, products, orders });
  app = shop.createOrders();
});

afterAll(() => shop?.close());

const newUser = () => shop.newUser();
const newProduct = (stock: number, priceCents?: number) => shop.newProduct(stock, priceCents);
const stockOf = (id: string) => shop.stockOf(id);
const placeOrder = (body: unknown, key?: string) => {
  const req = request(app).post('/orders');
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body as object);
};

describe('POST /orders', () => {
  it('checks the user, reserves stock and stores the order with a total computed here', async () => {
    const userId = await newUser();
    const [mug, tea] = await Promise.all([newProduct(10, 1250), newProduct(5, 399)]);
    const res = await placeOrder({ userId, items: [{ productId: mug, quantity: 2 }, { productId: tea, quantity: 3 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId, status: 'confirmed', totalCents: 2 * 1250 + 3 * 399 });
    expect(res.body.items).toHaveLength(2);
    expect(res.headers.location).toBe(`/orders/${res.body.id}`);
    expect(await stockOf(mug)).toBe(8);
    expect(await stockOf(tea)).toBe(2);

    const read = await request(app).get(`/orders/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('treats one id written in two cases as one product (400), and finds orders by either case', async () => {
    const userId = await newUser();
    const product = await newProduct(5);
    const twice = await placeOrder({ userId, items: [{ productId: product, quantity: 1 }, { productId: product.toUpperCase(), quantity: 1 }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toEqual([{ field: 'items', message: 'must not repeat a product' }]);
    const order = await placeOrder({ userId: userId.toUpperCase(), items: [{ productId: product.toUpperCase(), quantity: 1 }] });
    expect(order.status).toBe(201);
    expect(order.body.userId).toBe(userId);
    expect((await request(app).get(`/orders/${order.body.id.toUpperCase()}`)).body.id).toBe(order.body.id);
    expect(await stockOf(product)).toBe(4);
  });

  it('refuses a client-supplied total and other unknown fields', async () => {
    const res = await placeOrder({ userId: uuidv7(), items: [{ productId: uuidv7(), quantity: 1 }], totalCents: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers 422 for an unknown user and takes no stock', async () => {
    const product = await newProduct(3);
    const res = await placeOrder({ userId: uuidv7(), items: [{ productId: product, quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_user');
    expect(await stockOf(product)).toBe(3);
  });

  it('answers 422 for an unknown product', async () => {
    const res = await placeOrder({ userId: await newUser(), items: [{ productId: uuidv7(), quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_product');
  });

  it('answers 409 when stock is short and stores nothing', async () => {
    const userId = await newUser();
    const product = await newProduct(1);
    const res = await placeOrder({ userId, items: [{ productId: product, quantity: 2 }] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'insufficient_stock', details: [{ field: 'items', productId: product, message: 'only 1 in stock', requested: 2, available: 1 }] });
    expect((await request(app).get(`/orders?userId=${userId}`)).body.total).toBe(0);
  });

  it('never oversells: 20 orders race for 10 units, 10 are placed and 10 refused', async () => {
    const userId = await newUser();
    const product = await newProduct(10);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder({ userId, items: [{ productId: product, quantity: 1 }] })),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    expect(await stockOf(product)).toBe(0);
    expect((await request(app).get(`/orders?userId=${userId}&limit=100`)).body.total).toBe(10);
  });

  it('passes the request id to users and products, whose logs carry it', async () => {
    const userId = await newUser();
    const product = await newProduct(2);
    const requestId = `order-trace-${uuidv7()}`;
    const res = await request(app)
      .post('/orders')
      .set('X-Request-ID', requestId)
      .send({ userId, items: [{ productId: product, quantity: 1 }] });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    for (const service of ['users', 'products', 'orders'] as const) {
      expect(shop.logs[service].lines().some((line) => line.requestId === requestId)).toBe(true);
    }
  });
});

describe('Idempotency-Key', () => {
  it('answers a retried POST with the same order, not a second one', async () => {
    const userId = await newUser();
    const product = await newProduct(5);
    const body = { userId, items: [{ productId: product, quantity: 2 }] };
    const key = uuidv7();
    const first = await placeOrder(body, key);
    const retry = await placeOrder(body, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await stockOf(product)).toBe(3);
  });

  it('makes one order of many concurrent requests with one key', async () => {
    const userId = await newUser();
    const product = await newProduct(10);
    const body = { userId, items: [{ productId: product, quantity: 1 }] };
    const key = uuidv7();
    const results = await Promise.all(Array.from({ length: 5 }, () => placeOrder(body, key)));
    const ids = new Set(results.filter((res) => res.status === 201).map((res) => res.body.id));
    expect(ids.size).toBe(1);
    for (const res of results.filter((r) => r.status !== 201)) expect(res.body.error.code).toBe('idempotency_in_progress');
    expect(await stockOf(product)).toBe(9);
  });

  it('refuses a key reused for a different order (422)', async () => {
    const userId = await newUser();
    const product = await newProduct(5);
    const key = uuidv7();
    await placeOrder({ userId, items: [{ productId: product, quantity: 1 }] }, key);
    const res = await placeOrder({ userId, items: [{ productId: product, quantity: 2 }] }, key);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('refuses a malformed key (400)', async () => {
    for (const key of ['', 'has spaces in it', 'x'.repeat(256), 'ünïcode']) {
      const res = await placeOrder({ userId: uuidv7(), items: [{ productId: uuidv7(), quantity: 1 }] }, key);
      expect(res.status, key).toBe(400);
      expect(res.body.error.code).toBe('invalid_idempotency_key');
    }
  });
});

describe('GET /orders', () => {
  it('lists a user’s orders, newest first, and needs the user id', async () => {
    const userId = await newUser();
    const product = await newProduct(5);
    const first = await placeOrder({ userId, items: [{ productId: product, quantity: 1 }] });
    const second = await placeOrder({ userId, items: [{ productId: product, quantity: 1 }] });
    const res = await request(app).get(`/orders?userId=${userId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect(res.body.items.map((order: { id: string }) => order.id)).toEqual([second.body.id, first.body.id]);

    const missing = await request(app).get('/orders');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'userId', message: 'is required' }]);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    expect((await request(app).get(`/orders/${uuidv7()}`)).status).toBe(404);
    expect((await request(app).get('/orders/1')).status).toBe(400);
  });
});

describe('when a dependency is down', () => {
  it('answers 503 with Retry-After while users is unreachable, opens its breaker, and recovers by itself once users is back', async () => {
    const own = shop.createOrders();
    const userId = await newUser();
    const product = await newProduct(5);
    const body = { userId, items: [{ productId: product, quantity: 1 }] };
    await shop.whileDown('users', async () => {
      const res = await request(own).post('/orders').send(body);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      expect(await stockOf(product)).toBe(5);
      expect((await request(own).get('/ready')).body.breakers).toEqual({ users: 'open', products: 'closed' });
    });
    // Half-open after the reset timeout (1 s here), then closed by the first good call.
    await vi.waitFor(async () => expect((await request(own).post('/orders').send(body)).status).toBe(201), { timeout: 5000, interval: 200 });
    expect((await request(own).get('/ready')).body.breakers).toEqual({ users: 'closed', products: 'closed' });
  });

  it('is ready only with its Postgres and Redis, and reports its breakers towards users and products', async () => {
    expect((await request(shop.createOrders()).get('/ready')).body).toEqual({
      status: 'ready',
      checks: { postgres: 'up', redis: 'up' },
      breakers: { users: 'closed', products: 'closed' },
    });
  });
});
