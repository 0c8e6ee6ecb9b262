import type { Express } from 'express';
import type { Pool } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import { createJsonCache, type RedisClient } from '@shopstack/redis';
import { createServiceApp, dataStoreChecks, jsonBody } from '@shopstack/service-kit';
import { createUsersDomain } from './users.domain.js';
import { createUsersRepository } from './users.repository.js';
import { usersRouter } from './users.routes.js';

export interface AppDeps {
  db: Pool;
  redis: RedisClient;
  logger: Logger;
  cacheTtlSeconds: number;
}

export function createApp({ db, redis, logger, cacheTtlSeconds }: AppDeps): Express {
  const users = createUsersDomain({
    repository: createUsersRepository(db),
    cache: createJsonCache(redis, logger),
    cacheTtlSeconds,
  });
  return createServiceApp({
    logger,
    readiness: dataStoreChecks({ db, redis }),
    routes: (app) => app.use('/users', jsonBody('100kb'), usersRouter(users)),
  });
}
