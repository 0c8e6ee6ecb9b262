import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { useProductsApp } from './products-fixture.js';

const products = useProductsApp('products_api');
const request = products.request;
let app: Express;
/** Changing the catalogue is an admin's (see products-access.api.test.ts for who else may not). */
let admin: { authorization: string };
/** Reservations are orders' alone (see products-access.api.test.ts for who else may not). */
let orders: { authorization: string };

beforeAll(async () => {
  admin = await products.signedIn('admin');
  orders = await products.asOrders();
});
beforeEach(() => {
  app = products.app;
});

async function createProduct(overrides: Record<string, unknown> = {}) {
  const res = await request(app)
    .post('/products')
    .set(admin)
    .send({ name: 'Mug', description: 'Holds coffee', priceCents: 1250, stock: 10, ...overrides });
  expect(res.status).toBe(201);
  return res.body as { id: string; stock: number; priceCents: number; description: string | null };
}

const stockOf = async (id: string) => (await request(app).get(`/products/${id}`)).body.stock as number;
const reserve = (id: string, items: unknown) => request(app).put(`/reservations/${id}`).set(orders).send({ items });
const release = (id: string) => request(app).delete(`/reservations/${id}`).set(orders);

describe('POST /products', () => {
  it('creates a product with its price in integer cents', async () => {
    const res = await request(app).post('/products').set(admin).send({ name: 'Teapot', priceCents: 3999, stock: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Teapot', description: null, priceCents: 3999, stock: 5 });
    expect(res.headers.location).toBe(`/products/${res.body.id}`);
  });

  it('refuses fractional or negative prices, negative stock and unknown fields', async () => {
    const res = await request(app).post('/products').set(admin).send({ name: 'Bad', priceCents: 12.5, stock: -1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'priceCents', message: 'must be a whole number of cents' },
      { field: 'stock', message: 'must not be negative' },
      { field: 'colour', message: 'is not allowed' },
    ]);
    const missing = await request(app).post('/products').set(admin).send({ name: 'Bare' });
    expect(missing.body.error.details).toEqual([
      { field: 'priceCents', message: 'is required' },
      { field: 'stock', message: 'is required' },
    ]);
  });

  it('answers 415 and 413 as JSON errors', async () => {
    const wrongType = await request(app).post('/products').set(admin).set('Content-Type', 'application/xml').send('<product/>');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe('unsupported_media_type');
    const huge = await request(app).post('/products').set(admin).send({ name: 'x'.repeat(200_000), priceCents: 1, stock: 1 });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});

describe('GET /products/:id (cache-aside)', () => {
  it('is a miss, then a hit, then a miss again after an update', async () => {
    const product = await createProduct();
    const first = await request(app).get(`/products/${product.id}`);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await request(app).get(`/products/${product.id}`);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toEqual(first.body);

    const updated = await request(app).patch(`/products/${product.id}`).set(admin).send({ priceCents: 999 });
    expect(updated.status).toBe(200);
    expect(updated.body.priceCents).toBe(999);

    const third = await request(app).get(`/products/${product.id}`);
    expect(third.headers['x-cache']).toBe('miss');
    expect(third.body.priceCents).toBe(999);
  });

  it('is one cached product whatever the case of its id, and an update drops it', async () => {
    const product = await createProduct();
    await request(app).get(`/products/${product.id.toUpperCase()}`);
    expect((await request(app).get(`/products/${product.id}`)).headers['x-cache']).toBe('hit');
    await request(app).patch(`/products/${product.id.toUpperCase()}`).set(admin).send({ stock: 1 });
    const after = await request(app).get(`/products/${product.id}`);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.stock).toBe(1);
  });

  it('answers 404 for an unknown product and 400 for a malformed id', async () => {
    expect((await request(app).get(`/products/${uuidv7()}`)).body.error.code).toBe('not_found');
    expect((await request(app).get('/products/abc')).status).toBe(400);
    expect((await request(app).patch(`/products/${uuidv7()}`).set(admin).send({ stock: 1 })).status).toBe(404);
  });

  it('updates only the fields sent, and clears the description with null', async () => {
    const product = await createProduct({ description: 'Holds tea' });
    const renamed = await request(app).patch(`/products/${product.id}`).set(admin).send({ name: 'Big mug' });
    expect(renamed.body).toMatchObject({ name: 'Big mug', description: 'Holds tea', priceCents: product.priceCents, stock: product.stock });
    const cleared = await request(app).patch(`/products/${product.id}`).set(admin).send({ description: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ name: 'Big mug', description: null });
    expect((await request(app).get(`/products/${product.id}`)).body.description).toBeNull();
    expect((await createProduct({ description: null })).description).toBeNull();
  });

  it('refuses an empty update', async () => {
    const product = await createProduct();
    const res = await request(app).patch(`/products/${product.id}`).set(admin).send({});
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: '(body)', message: 'must change at least one field' }]);
  });
});

describe('GET /products', () => {
  it('pages through products, newest first', async () => {
    await createProduct();
    const newest = await createProduct();
    const res = await request(app).get('/products?limit=1');
    expect(res.status).toBe(200);
    expect(res.body.items.map((product: { id: string }) => product.id)).toEqual([newest.id]);
    expect(res.body).toMatchObject({ limit: 1, offset: 0 });
    expect(res.body.total).toBeGreaterThanOrEqual(2);
  });
});

describe('PUT /reservations/:id', () => {
  it('takes stock, answers the prices, and replays a retry without taking more', async () => {
    const product = await createProduct({ stock: 5, priceCents: 700 });
    const id = uuidv7();
    const first = await reserve(id, [{ productId: product.id, quantity: 2 }]);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id, items: [{ productId: product.id, name: 'Mug', quantity: 2, unitPriceCents: 700 }] });
    const retried = await reserve(id, [{ productId: product.id, quantity: 2 }]);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
    expect(await stockOf(product.id)).toBe(3);
  });

  it('refuses to reuse a reservation id for other items (409)', async () => {
    const product = await createProduct();
    const id = uuidv7();
    await reserve(id, [{ productId: product.id, quantity: 1 }]);
    const res = await reserve(id, [{ productId: product.id, quantity: 3 }]);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('reservation_conflict');
  });

  it('takes nothing when any item is short (409 with the shortages)', async () => {
    const plenty = await createProduct({ stock: 10 });
    const scarce = await createProduct({ stock: 1 });
    const res = await reserve(uuidv7(), [
      { productId: plenty.id, quantity: 3 },
      { productId: scarce.id, quantity: 2 },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_stock',
      details: [{ field: 'items', productId: scarce.id, message: 'only 1 in stock', requested: 2, available: 1 }],
    });
    expect(await stockOf(plenty.id)).toBe(10);
    expect(await stockOf(scarce.id)).toBe(1);
  });

  it('answers 422 naming products that do not exist', async () => {
    const ghost = uuidv7();
    const res = await reserve(uuidv7(), [{ productId: ghost, quantity: 1 }]);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unknown_product', details: [{ field: 'items', productId: ghost, message: 'does not exist' }] });
  });

  it('refuses bad quantities and repeated products', async () => {
    const product = await createProduct();
    const res = await reserve(uuidv7(), [
      { productId: product.id, quantity: 0 },
      { productId: product.id, quantity: 1 },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'items.0.quantity', message: 'must be at least 1' },
      { field: 'items', message: 'must not repeat a product' },
    ]);
  });

  it('never oversells: 20 concurrent reservations for 10 units, exactly 10 succeed', async () => {
    const product = await createProduct({ stock: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => reserve(uuidv7(), [{ productId: product.id, quantity: 1 }])),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    expect(await stockOf(product.id)).toBe(0);
  });

  it('drops the cached product when a reservation changes its stock', async () => {
    const product = await createProduct({ stock: 4 });
    await request(app).get(`/products/${product.id}`);
    expect((await request(app).get(`/products/${product.id}`)).headers['x-cache']).toBe('hit');
    await reserve(uuidv7(), [{ productId: product.id, quantity: 1 }]);
    const after = await request(app).get(`/products/${product.id}`);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.stock).toBe(3);
  });
});

describe('DELETE /reservations/:id', () => {
  it('puts the stock back once, and a released reservation cannot be replayed', async () => {
    const product = await createProduct({ stock: 5 });
    const id = uuidv7();
    await reserve(id, [{ productId: product.id, quantity: 4 }]);
    expect(await stockOf(product.id)).toBe(1);
    expect((await release(id)).status).toBe(204);
    expect((await release(id)).status).toBe(204);
    expect(await stockOf(product.id)).toBe(5);
    const replay = await reserve(id, [{ productId: product.id, quantity: 4 }]);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('reservation_released');
  });
});

describe('a release before its reservation', () => {
  it('leaves a tombstone: the late reservation is refused and takes nothing', async () => {
    const product = await createProduct({ stock: 3 });
    const id = uuidv7();
    expect((await release(id)).status).toBe(204);
    const late = await reserve(id, [{ productId: product.id, quantity: 2 }]);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('reservation_released');
    expect(await stockOf(product.id)).toBe(3);
  });
});

describe('health', () => {
  it('checks its Postgres and Redis', async () => {
    const res = await request(app).get('/ready');
    expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });
});
