import type { Express } from 'express';
import { createJsonCache } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody, type DataServiceDeps } from '@shopstack/service-kit';
import { createUsersDomain } from './users.domain.js';
import { createUsersRepository } from './users.repository.js';
import { usersRouter } from './users.routes.js';

export interface AppDeps extends DataServiceDeps {
  cacheTtlSeconds: number;
}

export function createApp({ db, redis, logger, cacheTtlSeconds }: AppDeps): Express {
  const users = createUsersDomain({
    repository: createUsersRepository(db),
    cache: createJsonCache(redis, logger),
    cacheTtlSeconds,
  });
  return createServiceApp({
    hop: 'users',
    logger,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => app.use('/users', jsonBody('100kb'), usersRouter(users)),
  });
}
