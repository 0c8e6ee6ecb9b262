import { fileURLToPath } from 'node:url';
import type { RequestListener } from 'node:http';
import { z } from 'zod';
import { env } from '@shopstack/config';
import type { Pool } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { connectDataStores, type DataStores } from './data-stores.js';
import { baseConfigSchema, runService, type BaseConfig } from './run-service.js';

/** What a service with its own Postgres and the shared Redis reads at start. */
export const dataServiceConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  REDIS_URL: env.url(['redis']),
});

type DataServiceConfig = BaseConfig & z.output<typeof dataServiceConfigSchema>;

/** What the app of a service with its own Postgres and the shared Redis is built from. */
export interface DataServiceDeps {
  db: Pool;
  redis: RedisClient;
  logger: Logger;
}

export interface DataServiceDefinition<S extends z.ZodType<DataServiceConfig>> {
  name: string;
  config: S;
  /** The service's migrations folder, e.g. new URL('../migrations', import.meta.url). */
  migrations: URL;
  createApp(stores: Pick<DataStores, 'db' | 'redis'>, config: z.output<S>, logger: Logger): RequestListener;
}

/** runService for the services that own a database: connect, migrate, build the app, serve. */
export function runDataService<S extends z.ZodType<DataServiceConfig>>(
  definition: DataServiceDefinition<S>,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  return runService(
    {
      name: definition.name,
      config: definition.config,
      async start(config, logger) {
        const stores = await connectDataStores(
          { databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, migrationsDir: fileURLToPath(definition.migrations) },
          logger,
        );
        return { handler: definition.createApp(stores, config, logger), close: stores.close };
      },
    },
    environment,
  );
}
