import type { Express } from 'express';
import type { ServiceClient } from '@shopstack/http-client';
import { createServiceApp, dataStoreChecks, jsonBody, type BackgroundTasks, type DataServiceDeps } from '@shopstack/service-kit';
import { createProductsClient } from './clients/products.client.js';
import { createUsersClient } from './clients/users.client.js';
import { createIdempotencyLocks } from './idempotency-locks.js';
import { createOrdersDomain } from './orders.domain.js';
import { createOrdersRepository } from './orders.repository.js';
import { ordersRouter } from './orders.routes.js';

export interface AppDeps extends DataServiceDeps {
  /** Clients of the users and products services, each with its own breaker. */
  clients: { users: ServiceClient; products: ServiceClient };
  idempotencyLockMs: number;
  /** Where stock is given back after a failed order; shutdown waits for it. */
  background: BackgroundTasks;
}

export function createApp({ db, redis, logger, clients, idempotencyLockMs, background }: AppDeps): Express {
  const orders = createOrdersDomain({
    repository: createOrdersRepository(db),
    users: createUsersClient(clients.users),
    products: createProductsClient(clients.products),
    locks: createIdempotencyLocks(redis, idempotencyLockMs),
    background,
  });
  return createServiceApp({
    hop: 'orders',
    logger,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => app.use('/orders', jsonBody('100kb'), ordersRouter(orders)),
  });
}
