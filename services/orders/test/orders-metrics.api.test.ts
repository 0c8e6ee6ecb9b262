import type { RequestListener } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { openApiDocument } from '@shopstack/api-contract';
import { createMetrics } from '@shopstack/metrics';
import * as products from '@shopstack/products';
import { closeRedis, connectRedis, createRedisClient } from '@shopstack/redis';
import { createContract, metricValue, startServices, type Account, type RunningServices } from '@shopstack/testing';
import * as users from '@shopstack/users';
import { createPendingReservations } from '../src/placing/pending-reservations.repository.js';
import * as orders from '../src/index.js';

// Products' reservations are internal: not in the document.
const contract = createContract(openApiDocument(), { prefix: '/api', ignore: /^\/reservations\// });
const request = contract.request;
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

let shop: RunningServices;
const metrics = createMetrics('orders');
let app: RequestListener;

beforeAll(async () => {
  shop = await startServices({ users, products, orders });
  app = shop.createOrders({ metrics });
});
afterAll(() => shop?.close());

const placeOrder = (buyer: Account, body: object, key: string) => request(app).post('/orders').set(buyer.auth).set('Idempotency-Key', key).send(body);
const idempotency = (outcome: string) => metricValue(metrics, 'idempotency_requests_total', { outcome });

describe('orders metrics', () => {
  it('counts idempotent replays, keys reused for another order, and keys whose first request is in progress', async () => {
    const buyer = await shop.customer();
    const productId = await shop.newProduct(10);
    const body = { userId: buyer.id, items: [{ productId, quantity: 1 }] };
    const key = uuidv7();
    expect((await placeOrder(buyer, body, key)).status).toBe(201);
    expect((await placeOrder(buyer, body, key)).status).toBe(201);
    expect((await placeOrder(buyer, { ...body, items: [{ productId, quantity: 2 }] }, key)).status).toBe(422);
    // Another request holds this key's lock right now.
    const held = uuidv7();
    const redis = createRedisClient(shop.redis.getConnectionUrl(), shop.logs.orders.logger);
    connectRedis(redis, shop.logs.orders.logger);
    try {
      await vi.waitFor(() => expect(redis.isReady).toBe(true));
      await redis.set(`orders:idempotency:${buyer.id}:${held}`, '1', { PX: 10_000 });
      expect((await placeOrder(buyer, body, held)).status).toBe(409);
    } finally {
      await closeRedis(redis);
    }
    expect([await idempotency('replayed'), await idempotency('conflict'), await idempotency('in_progress')]).toEqual([1, 1, 1]);
    expect(await metricValue(metrics, 'http_requests_total', { route: '/orders', method: 'POST', status: '201' })).toBe(2);
  });

  it('reads the pending reservations and the oldest one’s age from the database when scraped', async () => {
    const pending = createPendingReservations(shop.ordersDb.db);
    expect(await metricValue(metrics, 'pending_reservations')).toBe(0);
    expect(await metricValue(metrics, 'pending_reservation_oldest_age_seconds')).toBe(0);
    const ids = [uuidv7(), uuidv7()];
    for (const id of ids) await pending.record(id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await metricValue(metrics, 'pending_reservations')).toBe(2);
    expect(await metricValue(metrics, 'pending_reservation_oldest_age_seconds')).toBeGreaterThanOrEqual(1);
    for (const id of ids) await pending.forget(id);
    expect(await metricValue(metrics, 'pending_reservations')).toBe(0);
    expect(await metricValue(metrics, 'pending_reservation_oldest_age_seconds')).toBe(0);
  });

  it('counts the recovery pass’s releases that failed while products was away, then the one that succeeded', async () => {
    const recovery = createMetrics('orders');
    const recoverStock = orders.createStockRecovery(
      { db: shop.ordersDb.db, products: shop.clientOf('products'), logger: shop.logs.orders.logger, metrics: recovery },
      { abandonedAfterMs: 100, batchSize: 50 },
    );
    const productId = await shop.newProduct(10);
    const id = uuidv7();
    await createPendingReservations(shop.ordersDb.db).record(id);
    // Stock taken as orders takes it: with its own token, which products alone accepts.
    const asOrders = await orders.productsToken(orders.ordersKeys(shop.ordersDb.db))();
    expect((await request(shop.apps.products).put(`/reservations/${id}`).set('Authorization', asOrders).send({ items: [{ productId, quantity: 2 }] })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await shop.whileDown('products', async () => {
      await recoverStock();
    });
    expect(await metricValue(recovery, 'stock_recovery_releases_total', { outcome: 'failed' })).toBe(1);
    await vi.waitFor(
      async () => {
        await recoverStock();
        expect(await metricValue(recovery, 'stock_recovery_releases_total', { outcome: 'released' })).toBe(1);
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(await shop.stockOf(productId)).toBe(10);
  });

  it('shows its breaker towards users opening while users is away', async () => {
    const own = createMetrics('orders');
    const ownApp = shop.createOrders({ metrics: own });
    const buyer = await shop.customer();
    const productId = await shop.newProduct(5);
    await shop.whileDown('users', async () => {
      expect((await request(ownApp).post('/orders').set(buyer.auth).send({ userId: buyer.id, items: [{ productId, quantity: 1 }] })).status).toBe(503);
    });
    expect(await metricValue(own, 'circuit_breaker_state', { target: 'users' })).toBe(2);
    expect(await metricValue(own, 'circuit_breaker_state', { target: 'products' })).toBe(0);
    expect(await metricValue(own, 'downstream_request_duration_seconds', { target: 'users', outcome: 'unreachable' })).toBe(1);
    expect(await metricValue(own, 'redis_up')).toBe(1);
  });
});
