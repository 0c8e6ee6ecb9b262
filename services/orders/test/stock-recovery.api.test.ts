import type { RequestListener } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { createOrdersRepository } from '../src/orders.repository.js';
import { consumePending, createPendingReservations } from '../src/placing/pending-reservations.repository.js';
import * as products from '@shopstack/products';
import { createContract, type RunningServices, startServices } from '@shopstack/testing';
import * as users from '@shopstack/users';
import * as orders from '../src/index.js';

// Every answer these tests receive must match the API document (see createContract).
const contract = createContract(openApiDocument(), { prefix: '/api', ignore: /^\/(health|ready|internal\/.*|reservations\/.*)$/ });
const request = contract.request;
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

let shop: RunningServices;

beforeAll(async () => {
  shop = await startServices({ users, products, orders });
});

afterAll(() => shop?.close());

const pendingIds = async () =>
  (await shop.ordersDb.db.query<{ id: string; state: string; attempts: number }>('SELECT id, state, attempts FROM pending_reservations')).rows;

const recoveryMetrics = createMetrics('orders');

/** The recovery pass as server.ts runs it, run by the test itself: a note is abandoned after 1 s here. */
function stockRecovery() {
  const deps = { db: shop.ordersDb.db, products: shop.clientOf('products'), logger: shop.logs.orders.logger, metrics: recoveryMetrics };
  return orders.createStockRecovery(deps, { abandonedAfterMs: 1000, batchSize: 50 });
}

/** What a process killed between reserving and storing leaves behind: a pending row and stock taken at products. */
async function abandonedReservation(productId: string, quantity: number): Promise<string> {
  const id = uuidv7();
  await createPendingReservations(shop.ordersDb.db).record(id);
  const asOrders = await orders.productsToken(orders.ordersKeys(shop.ordersDb.db))();
  const reserved = await request(shop.apps.products).put(`/reservations/${id}`).set('Authorization', asOrders).send({ items: [{ productId, quantity }] });
  expect(reserved.status).toBe(201);
  return id;
}

describe('stock recovery', () => {
  it('gives back the stock of an order whose process died between reserving and storing it', async () => {
    const recoverStock = stockRecovery();
    const product = await shop.newProduct(10);
    const id = await abandonedReservation(product, 4);
    expect(await shop.stockOf(product)).toBe(6);
    // Left alone while its request could still be alive, then given back, once.
    await recoverStock();
    expect(await shop.stockOf(product)).toBe(6);
    await vi.waitFor(
      async () => {
        await recoverStock();
        expect(await shop.stockOf(product)).toBe(10);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect((await pendingIds()).map((row) => row.id)).not.toContain(id);
    await recoverStock();
    expect(await shop.stockOf(product)).toBe(10);
  });

  it('keeps trying while products is away, and gives the stock back once it returns', async () => {
    const recoverStock = stockRecovery();
    const product = await shop.newProduct(10);
    const id = await abandonedReservation(product, 3);
    await shop.whileDown('products', async () => {
      await vi.waitFor(
        async () => {
          await recoverStock();
          expect((await pendingIds()).find((row) => row.id === id)?.attempts).toBeGreaterThanOrEqual(2);
        },
        { timeout: 15_000, interval: 200 },
      );
    });
    await vi.waitFor(
      async () => {
        await recoverStock();
        expect(await shop.stockOf(product)).toBe(10);
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('places an order whose request outlived its reservation nowhere: the order is not stored', async () => {
    const pending = createPendingReservations(shop.ordersDb.db);
    const id = uuidv7();
    await pending.record(id);
    // The recovery pass takes it over, as it would once the request is presumed dead.
    expect(await pending.claimDue(0, 1000)).toContain(id);
    const outcome = await createOrdersRepository(shop.ordersDb.db).insert({ id, userId: uuidv7(), totalCents: 0, items: [], fingerprint: 'f' });
    expect(outcome).toEqual({ outcome: 'abandoned' });
    expect((await shop.ordersDb.db.query('SELECT 1 FROM orders WHERE id = $1', [id])).rowCount).toBe(0);
  });

  it('claims a release only once any transaction still storing the order has ended, and never for a stored order', async () => {
    const pending = createPendingReservations(shop.ordersDb.db);
    for (const ending of ['COMMIT', 'ROLLBACK'] as const) {
      const id = uuidv7();
      await pending.record(id);
      // A transaction storing the order, still open, as after a COMMIT whose answer was lost.
      const storing = await shop.ordersDb.db.connect();
      try {
        await storing.query('BEGIN');
        expect(await consumePending(storing, id)).toBe(true);
        let answered = false;
        const claimed = pending.claimRelease(id).finally(() => (answered = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(answered).toBe(false);
        await storing.query(ending);
        // Stored: nothing to give back. Not stored: the release is ours.
        expect(await claimed).toBe(ending === 'ROLLBACK');
      } finally {
        storing.release();
      }
    }
  });

  it('with Redis down, makes one order of concurrent requests with one key and takes the stock once', async () => {
    // No Redis, so no lock: every request reserves, and the database's unique key decides.
    const redis = createRedisClient('redis://127.0.0.1:1', shop.logs.orders.logger);
    connectRedis(redis, shop.logs.orders.logger);
    try {
      const app = shop.createOrders({ redis });
      const buyer = await shop.customer();
      const product = await shop.newProduct(20);
      const key = uuidv7();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send({ userId: buyer.id, items: [{ productId: product, quantity: 2 }] }),
        ),
      );
      expect(results.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((res) => res.body.id)).size).toBe(1);
      expect((await request(app).get(`/orders?userId=${buyer.id}`).set(buyer.auth)).body.total).toBe(1);
      // The requests that lost the race give their stock back.
      await vi.waitFor(async () => expect(await shop.stockOf(product)).toBe(18), { timeout: 10_000, interval: 100 });
    } finally {
      await closeRedis(redis);
    }
  });
});

/** An order placed by `app`: it reserves at products (the real app, which checks orders' token against orders' JWKS). */
async function placeOrder(app: RequestListener): Promise<number> {
  const buyer = await shop.customer();
  const productId = await shop.newProduct(5);
  return (await request(app).post('/orders').set(buyer.auth).send({ items: [{ productId, quantity: 1 }] })).status;
}

describe('orders’ service identity', () => {
  it('publishes its public keys on an internal path, with no private member', async () => {
    // As server.ts does at start.
    const { kid } = await orders.ordersKeys(shop.ordersDb.db).ensure();
    const res = await request(shop.apps.orders).get('/internal/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys.map((key: { kid: string }) => key.kid)).toEqual([kid]);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('signs with one key for every replica: the one in its database', async () => {
    const [first, second] = await Promise.all([orders.ordersKeys(shop.ordersDb.db).ensure(), orders.ordersKeys(shop.ordersDb.db).ensure()]);
    expect(second.kid).toBe(first.kid);
    const published = (await request(shop.createOrders()).get('/internal/jwks.json')).body.keys.map((key: { kid: string }) => key.kid);
    expect(published).toContain(first.kid);
  });

  it('keeps working across a rotation of its key: products fetches the new public key when it first meets it', async () => {
    expect(await placeOrder(shop.apps.orders)).toBe(201);
    const before = await orders.ordersKeys(shop.ordersDb.db).current();
    // As the README rotates it: the key is retired, and the next signing makes a new one.
    await shop.ordersDb.db.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
    // A new replica signs with the new key at once; the old one's token stays valid until it expires.
    expect(await placeOrder(shop.createOrders())).toBe(201);
    expect(await placeOrder(shop.apps.orders)).toBe(201);
    const rotated = await orders.ordersKeys(shop.ordersDb.db).current();
    expect(rotated.kid).not.toBe(before.kid);
    const published = (await request(shop.apps.orders).get('/internal/jwks.json')).body.keys.map((key: { kid: string }) => key.kid);
    expect(published).toEqual([rotated.kid, before.kid]);
  });
});
