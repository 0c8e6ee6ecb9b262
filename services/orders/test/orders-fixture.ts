import request from 'supertest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import * as products from '@shopstack/products';
import { createDownstreamClient, type DownstreamConfig } from '@shopstack/http-client';
import { createBackgroundTasks, type BackgroundTasks, type DataStores } from '@shopstack/service-kit';
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
import { createApp, migrations, type AppDeps } from '../src/index.js';

/**
 * What the orders tests run against: real users and products apps on loopback, each on a
 * fresh database of one Postgres container, a migrated orders database, and Redis; orders
 * apps are built on demand, each with its own background tasks (stopped by `close`).
 */
export async function startOrdersFixture() {
  const logs = { users: captureLogger('users'), products: captureLogger('products'), orders: captureLogger('orders') };
  const [postgres, redis]: [StartedPostgres, StartedRedis] = await Promise.all([startPostgres(), startRedis()]);
  const open = (database: string, migrationsUrl: URL, logger = logs.orders.logger) =>
    freshDataStores({ postgres, redis, database, migrations: migrationsUrl, logger });
  const stores: DataStores[] = await Promise.all([
    open('users_db', users.migrations, logs.users.logger),
    open('products_db', products.migrations, logs.products.logger),
    open('orders_db', migrations),
  ]).catch(async (error: unknown) => {
    // Nobody else will stop them: no container outlives a failed start.
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    throw error;
  });
  const [usersDb, productsDb, ordersDb] = stores as [DataStores, DataStores, DataStores];
  const usersApp = users.createApp({ ...usersDb, logger: logs.users.logger, cacheTtlSeconds: 60 });
  const productsApp = products.createApp({ ...productsDb, logger: logs.products.logger, cacheTtlSeconds: 60 });
  const servers: { users: Listening; products: Listening } = { users: await listen(usersApp), products: await listen(productsApp) };
  const backgrounds: BackgroundTasks[] = [];

  return {
    logs,
    ordersDb,
    productsApp,

    /** An orders app; by default quick to give up, with a breaker that never opens, and a recovery pass every 100 ms. */
    createOrders(overrides: Partial<AppDeps> = {}, downstream: DownstreamConfig = fastDownstream()): Express {
      const background = createBackgroundTasks();
      backgrounds.push(background);
      const logger = logs.orders.logger;
      return createApp({
        ...ordersDb,
        logger,
        idempotencyLockMs: 30_000,
        background,
        recovery: { intervalMs: 100, abandonedAfterMs: 3000, batchSize: 50 },
        clients: {
          users: createDownstreamClient('users', servers.users.url, downstream, logger),
          products: createDownstreamClient('products', servers.products.url, downstream, logger),
        },
        ...overrides,
      });
    },

    async newUser(): Promise<string> {
      return (await request(usersApp).post('/users').send({ email: `${uuidv7()}@example.com`, name: 'Buyer' })).body.id;
    },

    async newProduct(stock: number, priceCents = 1000): Promise<string> {
      return (await request(productsApp).post('/products').send({ name: 'Widget', priceCents, stock })).body.id;
    },

    stockOf: async (id: string) => (await request(productsApp).get(`/products/${id}`)).body.stock as number,

    /** Takes a service off the network for the duration of `during`, then puts it back on its port. */
    async whileDown(service: 'users' | 'products', during: () => Promise<void>): Promise<void> {
      const { port } = servers[service];
      await servers[service].close();
      try {
        await during();
      } finally {
        servers[service] = await listen(service === 'users' ? usersApp : productsApp, port);
      }
    },

    close: () =>
      cleanUp({
        background: () => Promise.all(backgrounds.map((background) => background.settle(10_000))),
        servers: () => Promise.all([servers.users.close(), servers.products.close()]),
        stores: () => Promise.all(stores.map((opened) => opened.close())),
        containers: () => Promise.all([postgres.stop(), redis.stop()]),
      }),
  };
}

export type OrdersFixture = Awaited<ReturnType<typeof startOrdersFixture>>;
