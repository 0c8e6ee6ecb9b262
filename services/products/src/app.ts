import type { Express } from 'express';
import type { Pool } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import { createJsonCache, type RedisClient } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody } from '@shopstack/service-kit';
import { createProductsDomain } from './products.domain.js';
import { createProductsRepository } from './products.repository.js';
import { productsRouter, reservationsRouter } from './products.routes.js';
import { createReservationsRepository } from './reservations.repository.js';

export interface AppDeps {
  db: Pool;
  redis: RedisClient;
  logger: Logger;
  cacheTtlSeconds: number;
}

export function createApp({ db, redis, logger, cacheTtlSeconds }: AppDeps): Express {
  const products = createProductsDomain({
    products: createProductsRepository(db),
    reservations: createReservationsRepository(db),
    cache: createJsonCache(redis, logger),
    cacheTtlSeconds,
  });
  return createServiceApp({
    logger,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => {
      app.use('/products', jsonBody('100kb'), productsRouter(products));
      app.use('/reservations', jsonBody('100kb'), reservationsRouter(products));
    },
  });
}
