import type { RequestListener } from 'node:http';
import { createTokenVerifier, remoteKeys, type TokenVerifier } from '@shopstack/auth';
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
  verifyToken: TokenVerifier;
  idempotencyLockMs: number;
  background: BackgroundTasks;
  recovery: { intervalMs: number; abandonedAfterMs: number; batchSize: number };
}

interface ServiceModule<Deps> {
  migrations: URL;
  createApp(deps: Deps): RequestListener;
}

/** What the users app is built from (its AppDeps), and its start-up step. */
interface UsersModule extends ServiceModule<UsersAppDeps> {
  prepareAccounts(deps: DataServiceDeps & { cacheTtlSeconds: number }, settings: { admin: { email: string; password: string } }): Promise<void>;
}

export interface UsersAppDeps extends DataServiceDeps {
  cacheTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  cookieSecure: boolean;
  trustProxyHops: number;
}

/** A signed-up, logged-in user, as a test uses one. */
export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  /** The refresh cookie as a browser would send it back: `refresh_token=…`. */
  cookie: string;
  /** The header that makes a request theirs. */
  auth: { authorization: string };
}

/** The admin that the users service makes at start (ADMIN_EMAIL, ADMIN_PASSWORD in the stack). */
export const TEST_ADMIN = { email: 'admin@example.com', password: 'admin-test-password' } as const;

/**
 * The services as libraries (`import * as users from '@shopstack/users'`): passed in by the
 * test, so this package depends on none of them.
 */
export interface ShopModules {
  users: UsersModule;
  products: ServiceModule<DataServiceDeps & { cacheTtlSeconds: number; verifyToken: TokenVerifier }>;
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
  // Products and orders verify tokens as in the stack: against users' JWKS, over HTTP.
  let verifyToken: TokenVerifier = () => Promise.reject(new Error('users is not listening yet'));

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
      verifyToken,
      clients: {
        users: createDownstreamClient('users', servers.users.url, calls, logger),
        products: createDownstreamClient('products', servers.products.url, calls, logger),
      },
      ...overrides,
    });
  }

  const usersDeps = { ...usersDb, logger: logs.users.logger, cacheTtlSeconds: 60 };
  await modules.users.prepareAccounts(usersDeps, { admin: TEST_ADMIN });
  const apps = {
    users: modules.users.createApp({ ...usersDeps, refreshTokenTtlSeconds: 3600, cookieSecure: false, trustProxyHops: 1 }),
  } as Record<Served, RequestListener>;
  servers.users = await listen(apps.users);
  verifyToken = createTokenVerifier(remoteKeys(`${servers.users.url}/auth/jwks.json`));
  apps.products = modules.products.createApp({ ...productsDb, logger: logs.products.logger, cacheTtlSeconds: 60, verifyToken });
  servers.products = await listen(apps.products);
  apps.orders = createOrders();
  servers.orders = await listen(apps.orders);

  const post = async (service: Served, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${servers[service].url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return { body: (await res.json()) as { id: string; accessToken: string }, setCookie: res.headers.getSetCookie() };
  };

  /** Logs in at users itself, as the gateway would pass it on. */
  async function logIn(id: string, email: string, password: string): Promise<Account> {
    const { body, setCookie } = await post('users', '/auth/login', { email, password });
    const cookie = setCookie.map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('refresh_token='))!;
    return { id, email, password, accessToken: body.accessToken, cookie, auth: { authorization: `Bearer ${body.accessToken}` } };
  }

  async function customer(): Promise<Account> {
    const email = `${crypto.randomUUID()}@example.com`;
    const password = `password-${crypto.randomUUID()}`;
    const { body } = await post('users', '/users', { email, name: 'Buyer', password });
    return logIn(body.id, email, password);
  }

  let adminAccount: Promise<Account> | undefined;
  /** The admin, logged in once per run (its token outlives any test file). */
  function admin(): Promise<Account> {
    adminAccount ??= (async () => {
      const account = await logIn('', TEST_ADMIN.email, TEST_ADMIN.password);
      const me = (await (await fetch(`${servers.users.url}/users/me`, { headers: account.auth })).json()) as { id: string };
      return { ...account, id: me.id };
    })();
    return adminAccount;
  }

  return {
    logs,
    redis,
    ordersDb,
    apps,
    /** Where each service listens now (its port stays the same across whileDown). */
    url: (service: Served) => servers[service].url,
    createOrders,

    admin,
    customer,
    logIn,
    /** A new customer's id (signed up, not logged in). */
    newUser: async () =>
      (await post('users', '/users', { email: `${crypto.randomUUID()}@example.com`, name: 'Buyer', password: `password-${crypto.randomUUID()}` })).body.id,
    newProduct: async (stock: number, priceCents = 1000) =>
      (await post('products', '/products', { name: 'Widget', priceCents, stock }, (await admin()).auth)).body.id,
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
