import type { Express } from 'express';
import { authenticate, type TokenVerifier } from '@shopstack/auth';
import type { ServiceClient } from '@shopstack/http-client';
import { createServiceApp, dataStoreChecks, jsonBody, type BackgroundTasks, type DataServiceDeps } from '@shopstack/service-kit';
import { createProductsClient } from './clients/products.client.js';
import { createUsersClient } from './clients/users.client.js';
import { createIdempotencyLocks } from './idempotency-locks.js';
import { createOrdersDomain } from './orders.domain.js';
import { createOrdersRepository } from './orders.repository.js';
import { ordersRouter } from './orders.routes.js';
import { createPendingReservations } from './pending-reservations.repository.js';
import { createStockRecovery, type StockRecoverySettings } from './stock-recovery.js';

export interface AppDeps extends DataServiceDeps {
  /** Clients of the users and products services, each with its own breaker. */
  clients: { users: ServiceClient; products: ServiceClient };
  idempotencyLockMs: number;
  /** Where stock is given back after a failed order, and the recovery pass runs; shutdown waits for both. */
  background: BackgroundTasks;
  recovery: StockRecoverySettings & { intervalMs: number };
  /** Checks bearer tokens against the users service's public keys, as the gateway did before. */
  verifyToken: TokenVerifier;
}

export function createApp({ db, redis, logger, clients, idempotencyLockMs, background, recovery, verifyToken }: AppDeps): Express {
  const pending = createPendingReservations(db);
  const products = createProductsClient(clients.products);
  const orders = createOrdersDomain({
    repository: createOrdersRepository(db),
    pending,
    users: createUsersClient(clients.users),
    products,
    locks: createIdempotencyLocks(redis, idempotencyLockMs),
    background,
  });
  // At start and then steadily: stock that an order left behind goes back to products.
  const recoverStock = createStockRecovery({ pending, products, logger }, recovery);
  background.every(recovery.intervalMs, () =>
    recoverStock().catch((error: unknown) => logger.warn({ err: error }, 'stock recovery pass failed; will retry')),
  );
  return createServiceApp({
    hop: 'orders',
    logger,
    readiness: dataStoreChecks({ db, redis }),
    // Its own breakers towards users and products, for /api/status (and the console) to show.
    readinessReport: () => ({
      breakers: { users: clients.users.status().state, products: clients.products.status().state },
    }),
    // Verified again here, not taken on trust from the gateway: anything on the backend
    // network can call this service directly.
    routes: (app) => app.use('/orders', authenticate(verifyToken), jsonBody('100kb'), ordersRouter(orders)),
  });
}
