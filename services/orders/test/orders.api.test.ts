import type { RequestListener } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import * as products from '@shopstack/products';
import { createContract, type Account, type RunningServices, startServices } from '@shopstack/testing';
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

// Who may do what is orders-access.api.test.ts's; here every order is its buyer's own.
const newBuyer = () => shop.customer();
const newProduct = (stock: number, priceCents?: number) => shop.newProduct(stock, priceCents);
const stockOf = (id: string) => shop.stockOf(id);
const placeOrder = (buyer: Account, body: unknown, key?: string) => {
  const req = request(app).post('/orders').set(buyer.auth);
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body as object);
};

describe('POST /orders', () => {
  it('checks the user, reserves stock and stores the order with a total computed here', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const [mug, tea] = await Promise.all([newProduct(10, 1250), newProduct(5, 399)]);
    const res = await placeOrder(buyer, { userId, items: [{ productId: mug, quantity: 2 }, { productId: tea, quantity: 3 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId, status: 'confirmed', totalCents: 2 * 1250 + 3 * 399 });
    expect(res.body.items).toHaveLength(2);
    expect(res.headers.location).toBe(`/orders/${res.body.id}`);
    expect(await stockOf(mug)).toBe(8);
    expect(await stockOf(tea)).toBe(2);

    const read = await request(app).get(`/orders/${res.body.id}`).set(buyer.auth);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('treats one id written in two cases as one product (400), and finds orders by either case', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(5);
    const twice = await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 1 }, { productId: product.toUpperCase(), quantity: 1 }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toEqual([{ field: 'items', message: 'must not repeat a product' }]);
    const order = await placeOrder(buyer, { userId: userId.toUpperCase(), items: [{ productId: product.toUpperCase(), quantity: 1 }] });
    expect(order.status).toBe(201);
    expect(order.body.userId).toBe(userId);
    expect((await request(app).get(`/orders/${order.body.id.toUpperCase()}`).set(buyer.auth)).body.id).toBe(order.body.id);
    expect(await stockOf(product)).toBe(4);
  });

  it('refuses a client-supplied total and other unknown fields', async () => {
    const buyer = await newBuyer();
    const res = await placeOrder(buyer, { userId: buyer.id, items: [{ productId: uuidv7(), quantity: 1 }], totalCents: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  // What used to be "an unknown user" (any id in the body): now someone else's id, refused.
  it('answers 403 for an order in someone else’s name and takes no stock', async () => {
    const product = await newProduct(3);
    const res = await placeOrder(await newBuyer(), { userId: await shop.newUser(), items: [{ productId: product, quantity: 1 }] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await stockOf(product)).toBe(3);
  });

  it('answers 422 for an unknown product', async () => {
    const buyer = await newBuyer();
    const res = await placeOrder(buyer, { userId: buyer.id, items: [{ productId: uuidv7(), quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_product');
  });

  it('answers 409 when stock is short and stores nothing', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(1);
    const res = await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 2 }] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'insufficient_stock', details: [{ field: 'items', productId: product, message: 'only 1 in stock', requested: 2, available: 1 }] });
    expect((await request(app).get(`/orders?userId=${userId}`).set(buyer.auth)).body.total).toBe(0);
  });

  it('never oversells: 20 orders race for 10 units, 10 are placed and 10 refused', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(10);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(buyer, { userId, items: [{ productId: product, quantity: 1 }] })),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    expect(await stockOf(product)).toBe(0);
    expect((await request(app).get(`/orders?userId=${userId}&limit=100`).set(buyer.auth)).body.total).toBe(10);
  });

  it('passes the request id to users and products, whose logs carry it', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(2);
    const requestId = `order-trace-${uuidv7()}`;
    const res = await request(app)
      .post('/orders')
      .set(buyer.auth)
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
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(5);
    const body = { userId, items: [{ productId: product, quantity: 2 }] };
    const key = uuidv7();
    const first = await placeOrder(buyer, body, key);
    const retry = await placeOrder(buyer, body, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await stockOf(product)).toBe(3);
  });

  it('makes one order of many concurrent requests with one key', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(10);
    const body = { userId, items: [{ productId: product, quantity: 1 }] };
    const key = uuidv7();
    const results = await Promise.all(Array.from({ length: 5 }, () => placeOrder(buyer, body, key)));
    const ids = new Set(results.filter((res) => res.status === 201).map((res) => res.body.id));
    expect(ids.size).toBe(1);
    for (const res of results.filter((r) => r.status !== 201)) expect(res.body.error.code).toBe('idempotency_in_progress');
    expect(await stockOf(product)).toBe(9);
  });

  it('refuses a key reused for a different order (422)', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(5);
    const key = uuidv7();
    await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 1 }] }, key);
    const res = await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 2 }] }, key);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('refuses a malformed key (400)', async () => {
    const buyer = await newBuyer();
    for (const key of ['', 'has spaces in it', 'x'.repeat(256), 'ünïcode']) {
      const res = await placeOrder(buyer, { userId: buyer.id, items: [{ productId: uuidv7(), quantity: 1 }] }, key);
      expect(res.status, key).toBe(400);
      expect(res.body.error.code).toBe('invalid_idempotency_key');
    }
  });
});

describe('GET /orders', () => {
  it('lists a user’s orders, newest first, the caller’s own when no user is named', async () => {
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(5);
    const first = await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 1 }] });
    const second = await placeOrder(buyer, { userId, items: [{ productId: product, quantity: 1 }] });
    const res = await request(app).get(`/orders?userId=${userId}`).set(buyer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect(res.body.items.map((order: { id: string }) => order.id)).toEqual([second.body.id, first.body.id]);

    const own = await request(app).get('/orders').set(buyer.auth);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(res.body);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const buyer = await newBuyer();
    expect((await request(app).get(`/orders/${uuidv7()}`).set(buyer.auth)).status).toBe(404);
    expect((await request(app).get('/orders/1').set(buyer.auth)).status).toBe(400);
  });
});

describe('when a dependency is down', () => {
  it('answers 503 with Retry-After while users is unreachable, opens its breaker, and recovers by itself once users is back', async () => {
    const own = shop.createOrders();
    const buyer = await newBuyer();
    const userId = buyer.id;
    const product = await newProduct(5);
    const body = { userId, items: [{ productId: product, quantity: 1 }] };
    await shop.whileDown('users', async () => {
      const res = await request(own).post('/orders').set(buyer.auth).send(body);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      expect(res.headers['retry-after']).toBeDefined();
      expect(await stockOf(product)).toBe(5);
      expect((await request(own).get('/ready')).body.breakers).toEqual({ users: 'open', products: 'closed' });
    });
    // Half-open after the reset timeout (1 s here), then closed by the first good call.
    await vi.waitFor(async () => expect((await request(own).post('/orders').set(buyer.auth).send(body)).status).toBe(201), { timeout: 5000, interval: 200 });
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
