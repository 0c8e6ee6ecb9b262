import type { Express } from 'express';
import { authenticate, requireServiceToken, type ServiceTokenVerifier, type TokenVerifier } from '@shopstack/auth';
import { createJsonCache, measureRedis } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody, mountRoutes, type DataServiceDeps } from '@shopstack/service-kit';
import { createProductsDomain } from './products.domain.js';
import { createProductsRepository } from './products.repository.js';
import { productsRoutes, reservationsRoutes } from './products.routes.js';
import { createReservationsRepository } from './reservations.repository.js';

export interface AppDeps extends DataServiceDeps {
  cacheTtlSeconds: number;
  /** Checks bearer tokens against the users service's public keys, as the gateway did before. */
  verifyToken: TokenVerifier;
  /** Checks orders' service token against orders' public keys: the reservation routes answer orders alone. */
  verifyOrdersToken: ServiceTokenVerifier;
}

export function createApp({ db, redis, logger, metrics, cacheTtlSeconds, verifyToken, verifyOrdersToken }: AppDeps): Express {
  const products = createProductsDomain({
    products: createProductsRepository(db),
    reservations: createReservationsRepository(db),
    cache: createJsonCache(redis, logger, { metrics: { metrics, name: 'products' } }),
    cacheTtlSeconds,
  });
  measureRedis(redis, metrics);
  return createServiceApp({
    service: 'products',
    logger,
    metrics,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => {
      // Verified again here, not taken on trust from the gateway: anything on the backend
      // network can call this service directly.
      mountRoutes(app, '/products', [authenticate(verifyToken), jsonBody('100kb')], productsRoutes(products));
      // Trusting the network would let anything on backend (users, the gateway) take or give
      // back stock: only orders holds the key that signs this token, and a user's token,
      // even an admin's, is refused here.
      mountRoutes(app, '/reservations', [requireServiceToken(verifyOrdersToken), jsonBody('100kb')], reservationsRoutes(products));
    },
  });
}
