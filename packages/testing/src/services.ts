import type { RequestListener } from 'node:http';
import { createDownstreamClient, type DownstreamConfig, type ServiceClient } from '@shopstack/http-client';
import { createBackgroundTasks, type BackgroundTasks, type DataServiceDeps, type DataStores } from '@shopstack/service-kit';
import { captureLogger } from './capture-logger.js';
import { cleanUp } from './cleanup.js';
import { freshDataStores } from './data-stores.js';
import { fastDownstream } from './downstream.js';
import { listen, type Listening } from './listen.js';
import { startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

/** What the orders app is built from (its AppDeps), as far as a test varies it. */
export interface OrdersAppDeps extends DataServiceDeps {
  clients: { users: ServiceClient; products: ServiceClient };
  idempotencyLockMs: number;
  background: BackgroundTasks;
  recovery: { intervalMs: number; abandonedAfterMs: number; batchSize: number };
}

interface ServiceModule<Deps> {
  migrations: URL;
  createApp(deps: Deps): RequestListener;
}

/**
 * The services as libraries (`import * as users from '@shopstack/users'`): passed in by the
 * test, so this package depends on none of them.
 */
export interface ShopModules {
  users: ServiceModule<DataServiceDeps & { cacheTtlSeconds: number }>;
  products: ServiceModule<DataServiceDeps & { cacheTtlSeconds: number }>;
  orders: ServiceModule<OrdersAppDeps>;
}

type Served = 'users' | 'products' | 'orders';

/**
 * Users, products and orders for API tests: one Postgres container with a fresh, migrated
 * database per service, one Redis, each app served on loopback and logging into memory.
 * Further orders apps are built on demand, each with its own background tasks; `close`
 * stops everything, whatever failed before.
 */
export async function startServices(modules: ShopModules, downstream: DownstreamConfig = fastDownstream()) {
  const logs = { users: captureLogger('users'), products: captureLogger('products'), orders: captureLogger('orders') };
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const open = (service: Served) =>
    freshDataStores({ postgres, redis, database: `${service}_db`, migrations: modules[service].migrations, logger: logs[service].logger });
  const stores: DataStores[] = await Promise.all([open('users'), open('products'), open('orders')]).catch(async (error: unknown) => {
    // Nobody else will stop them: no container outlives a failed start.
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    throw error;
  });
  const [usersDb, productsDb, ordersDb] = stores as [DataStores, DataStores, DataStores];
  const backgrounds: BackgroundTasks[] = [];
  const servers = {} as Record<Served, Listening>;

  function createOrders(overrides: Partial<OrdersAppDeps> = {}, calls: DownstreamConfig = downstream): RequestListener {
    const background = createBackgroundTasks();
    backgrounds.push(background);
    const logger = logs.orders.logger;
    return modules.orders.createApp({
      ...ordersDb,
      logger,
      idempotencyLockMs: 30_000,
      background,
      recovery: { intervalMs: 100, abandonedAfterMs: 3000, batchSize: 50 },
      clients: {
        users: createDownstreamClient('users', servers.users.url, calls, logger),
        products: createDownstreamClient('products', servers.products.url, calls, logger),
      },
      ...overrides,
    });
  }

  const apps = {
    users: modules.users.createApp({ ...usersDb, logger: logs.users.logger, cacheTtlSeconds: 60 }),
    products: modules.products.createApp({ ...productsDb, logger: logs.products.logger, cacheTtlSeconds: 60 }),
  } as Record<Served, RequestListener>;
  [servers.users, servers.products] = await Promise.all([listen(apps.users), listen(apps.products)]);
  apps.orders = createOrders();
  servers.orders = await listen(apps.orders);

  const post = async (service: Served, path: string, body: unknown): Promise<string> => {
    const res = await fetch(`${servers[service].url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}`);
    return ((await res.json()) as { id: string }).id;
  };

  return {
    logs,
    redis,
    ordersDb,
    apps,
    /** Where each service listens now (its port stays the same across whileDown). */
    url: (service: Served) => servers[service].url,
    createOrders,

    newUser: () => post('users', '/users', { email: `${crypto.randomUUID()}@example.com`, name: 'Buyer' }),
    newProduct: (stock: number, priceCents = 1000) => post('products', '/products', { name: 'Widget', priceCents, stock }),
    async stockOf(id: string): Promise<number> {
      return ((await (await fetch(`${servers.products.url}/products/${id}`)).json()) as { stock: number }).stock;
    },

    /** Takes a service off the network for the duration of `during`, then puts it back on its port. */
    async whileDown(service: Served, during: () => Promise<void>): Promise<void> {
      const { port } = servers[service];
      await servers[service].close();
      try {
        await during();
      } finally {
        servers[service] = await listen(apps[service], port);
      }
    },

    close: () =>
      cleanUp({
        background: () => Promise.all(backgrounds.map((background) => background.settle(10_000))),
        servers: () => Promise.all(Object.values(servers).map((server) => server.close())),
        stores: () => Promise.all(stores.map((opened) => opened.close())),
        containers: () => Promise.all([postgres.stop(), redis.stop()]),
      }),
  };
}

export type RunningServices = Awaited<ReturnType<typeof startServices>>;
