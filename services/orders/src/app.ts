import type { Express } from 'express';
import { authenticate, type TokenVerifier } from '@shopstack/auth';
import type { Database } from '@shopstack/db';
import type { ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { measureRedis, type RedisClient } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody, mountRoutes, type BackgroundTasks } from '@shopstack/service-kit';
import { createProductsClient } from './clients/products.client.js';
import { ordersKeys, productsToken } from './clients/service-identity.js';
import { createUsersClient } from './clients/users.client.js';
import { createIdempotencyLocks } from './idempotency.js';
import { createOrdersDomain } from './orders.domain.js';
import { createOrdersRepository } from './orders.repository.js';
import { ordersRoutes } from './orders.routes.js';
import { measurePendingReservations } from './placing/pending-metrics.js';
import { createPendingReservations } from './placing/pending-reservations.repository.js';
import { createOrderPlacing } from './placing/place-order.js';

export interface AppDeps {
  db: Database;
  redis: RedisClient;
  logger: Logger;
  /** The process's metrics; the clients count their calls into the same ones. */
  metrics: Metrics;
  /** Clients of the users and products services, each with its own breaker. */
  clients: { users: ServiceClient; products: ServiceClient };
  idempotencyLockMs: number;
  /** Where stock is given back after a failed order; shutdown waits for it. */
  background: BackgroundTasks;
  /** Checks bearer tokens against the users service's public keys, as the gateway did before. */
  verifyToken: TokenVerifier;
}

/** The orders app, with nothing running beside it: the stock recovery pass is the server's to schedule (see stock-recovery.ts). */
export function createApp({ db, redis, logger, metrics, clients, idempotencyLockMs, background, verifyToken }: AppDeps): Express {
  const repository = createOrdersRepository(db);
  const keys = ordersKeys(db);
  const placeOrder = createOrderPlacing({
    orders: repository,
    pending: createPendingReservations(db),
    users: createUsersClient(clients.users),
    products: createProductsClient(clients.products, productsToken(keys)),
    background,
  });
  const orders = createOrdersDomain({ repository, placeOrder, locks: createIdempotencyLocks(redis, idempotencyLockMs), metrics });
  measureRedis(redis, metrics);
  measurePendingReservations(db, metrics);
  return createServiceApp({
    service: 'orders',
    logger,
    metrics,
    readiness: dataStoreChecks({ db, redis }),
    // Its own breakers towards users and products, for /api/status (and the console) to show.
    readinessReport: () => ({
      breakers: { users: clients.users.status().state, products: clients.products.status().state },
    }),
    // Verified again here, not taken on trust from the gateway: anything on the backend
    // network can call this service directly.
    routes: (app) => {
      mountRoutes(app, '/orders', [authenticate(verifyToken), jsonBody('100kb')], ordersRoutes(orders));
      // Orders' public keys, for products to check its service token with. Outside /orders,
      // so the gateway (which forwards /api/orders/… only) never serves them: they are no
      // secret, but nobody outside has a use for them.
      mountRoutes(app, '/internal', [], {
        '/jwks.json': { get: async (_req, res) => void res.set('Cache-Control', 'max-age=60').json(await keys.publicKeys()) },
      });
    },
  });
}
