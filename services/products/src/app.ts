import type { Express } from 'express';
import { createJsonCache } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody, type DataServiceDeps } from '@shopstack/service-kit';
import { createProductsDomain } from './products.domain.js';
import { createProductsRepository } from './products.repository.js';
import { productsRouter, reservationsRouter } from './products.routes.js';
import { createReservationsRepository } from './reservations.repository.js';

export interface AppDeps extends DataServiceDeps {
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
    hop: 'products',
    logger,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => {
      app.use('/products', jsonBody('100kb'), productsRouter(products));
      app.use('/reservations', jsonBody('100kb'), reservationsRouter(products));
    },
  });
}
