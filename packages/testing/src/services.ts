import type { RequestListener } from 'node:http';
import { createServiceTokenVerifier, createTokenVerifier, remoteKeys, type KeyLookup, type ServiceTokenVerifier, type TokenVerifier } from '@shopstack/auth';
import type { Database } from '@shopstack/db';
import { createServiceClient, type DownstreamSettings, type ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';
import { createMetrics, type Metrics } from '@shopstack/metrics';
import type { RedisClient } from '@shopstack/redis';
import { createBackgroundTasks, type BackgroundTasks } from '@shopstack/service-kit';
import { accountsAt, postJson, TEST_ADMIN } from './accounts.js';
import { captureLogger } from './capture-logger.js';
import { cleanUp } from './cleanup.js';
import { freshDataStores, startPostgres, startRedis, type DataStores } from './containers.js';
import { fastClientSettings } from './fast-client-settings.js';
import { listen, type Listening } from './listen.js';

type ShopService = 'users' | 'products' | 'orders';
type Stores = { db: Database; redis: RedisClient; logger: Logger; metrics: Metrics };

// What each app is built from here. Their types are what is passed, not copies of the apps'
// own: ShopModules makes each service's createApp accept them where the modules are passed in.
const usersDeps = (stores: Stores) => ({ ...stores, cacheTtlSeconds: 60, refreshTokenTtlSeconds: 3600, cookieSecure: false, trustProxyHops: 1 });
const productsDeps = (stores: Stores, verifyToken: TokenVerifier, verifyOrdersToken: ServiceTokenVerifier) => ({ ...stores, cacheTtlSeconds: 60, verifyToken, verifyOrdersToken });
const ordersDeps = (stores: Stores, verifyToken: TokenVerifier, clients: { users: ServiceClient; products: ServiceClient }, background: BackgroundTasks) => ({
  ...stores,
  verifyToken,
  clients,
  background,
  idempotencyLockMs: 30_000,
});
type OrdersDeps = ReturnType<typeof ordersDeps>;

/**
 * The services as libraries (`import * as users from '@shopstack/users'`): passed in by the
 * test, so this package depends on none of them.
 */
export interface ShopModules {
  users: {
    migrations: URL;
    createApp: (deps: ReturnType<typeof usersDeps>) => RequestListener;
    prepareAccounts: (deps: ReturnType<typeof usersDeps>, settings: { admin: typeof TEST_ADMIN }) => Promise<void>;
  };
  products: { migrations: URL; createApp: (deps: ReturnType<typeof productsDeps>) => RequestListener };
  orders: { migrations: URL; createApp: (deps: OrdersDeps) => RequestListener };
}

/**
 * Users, products and orders for API tests: one Postgres container with a fresh, migrated
 * database per service, one Redis, each app served on loopback, logging into memory and
 * measured in metrics of its own. Further orders apps are built on demand, each with its
 * own background tasks and metrics; `close` stops everything, whatever failed before.
 */
export async function startServices(modules: ShopModules, clientSettings: DownstreamSettings = fastClientSettings()) {
  const logs = { users: captureLogger('users'), products: captureLogger('products'), orders: captureLogger('orders') };
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const open = (service: ShopService) =>
    freshDataStores({ postgres, redis, database: `${service}_db`, migrations: modules[service].migrations, logger: logs[service].logger });
  const stores: DataStores[] = await Promise.all([open('users'), open('products'), open('orders')]).catch(async (error: unknown) => {
    // Nobody else will stop them: no container outlives a failed start.
    await Promise.allSettled([postgres.stop(), redis.stop()]);
    throw error;
  });
  const [usersDb, productsDb, ordersDb] = stores as [DataStores, DataStores, DataStores];
  const metrics = { users: createMetrics('users'), products: createMetrics('products') };
  const storesOf = ({ db, redis }: DataStores, service: ShopService, measured = createMetrics(service)): Stores => ({ db, redis, logger: logs[service].logger, metrics: measured });
  const backgrounds: BackgroundTasks[] = [];
  const servers = {} as Record<ShopService, Listening>;
  const url = (service: ShopService) => servers[service].url;

  /** A client of users or products, as orders calls them (counting its calls in `measured`, if given). */
  const clientOf = (service: 'users' | 'products', settings = clientSettings, measured?: Metrics): ServiceClient =>
    createServiceClient(service, url(service), settings, logs.orders.logger, { metrics: measured });

  const users = modules.users;
  await users.prepareAccounts(usersDeps(storesOf(usersDb, 'users')), { admin: TEST_ADMIN });
  const apps = { users: users.createApp(usersDeps(storesOf(usersDb, 'users', metrics.users))) } as Record<ShopService, RequestListener>;
  servers.users = await listen(apps.users);
  // Products and orders verify tokens as in the stack: against users' JWKS, over HTTP.
  const verifyToken = createTokenVerifier(remoteKeys(`${url('users')}/auth/jwks.json`));
  // And orders' service token against orders' JWKS, whose address is known once orders listens, below.
  let ordersKeys: KeyLookup | undefined;
  const verifyOrdersToken = createServiceTokenVerifier(
    (header, token) => (ordersKeys ??= remoteKeys(`${url('orders')}/internal/jwks.json`))(header, token),
    { from: 'orders', to: 'products' },
  );
  apps.products = modules.products.createApp(productsDeps(storesOf(productsDb, 'products', metrics.products), verifyToken, verifyOrdersToken));
  servers.products = await listen(apps.products);

  /** An orders app of its own (its own clients, so its own breakers, background tasks and metrics). */
  function createOrders(overrides: Partial<OrdersDeps> = {}): RequestListener {
    const background = createBackgroundTasks();
    backgrounds.push(background);
    const stores = storesOf(ordersDb, 'orders', overrides.metrics);
    const clients = { users: clientOf('users', clientSettings, stores.metrics), products: clientOf('products', clientSettings, stores.metrics) };
    return modules.orders.createApp({ ...ordersDeps(stores, verifyToken, clients, background), ...overrides });
  }
  apps.orders = createOrders();
  servers.orders = await listen(apps.orders);
  const accounts = accountsAt(() => url('users'));

  return {
    logs,
    redis,
    ordersDb,
    apps,
    /** The users and products apps' metrics (an orders app's are its own: pass them to createOrders to read them). */
    metrics,
    /** Where each service listens now (its port stays the same across whileDown). */
    url,
    createOrders,
    clientOf,
    admin: accounts.admin,
    customer: accounts.customer,
    logIn: accounts.logIn,
    /** A new customer's id (signed up, not logged in). */
    newUser: async () => (await accounts.signUp()).id,
    newProduct: async (stock: number, priceCents = 1000) =>
      (await postJson(`${url('products')}/products`, { name: 'Widget', priceCents, stock }, (await accounts.admin()).auth)).body.id,
    async stockOf(id: string): Promise<number> {
      return ((await (await fetch(`${url('products')}/products/${id}`)).json()) as { stock: number }).stock;
    },

    /** Takes a service off the network for the duration of `during`, then puts it back on its port. */
    async whileDown(service: ShopService, during: () => Promise<void>): Promise<void> {
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
