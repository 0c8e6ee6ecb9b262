import { fileURLToPath } from 'node:url';
import type { RequestListener } from 'node:http';
import { z } from 'zod';
import { env } from '@shopstack/config';
import type { Database } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import type { RedisClient } from '@shopstack/redis';
import { createBackgroundTasks, type BackgroundTasks } from './background-tasks.js';
import { connectDataStores, type DataStores } from './data-stores.js';
import { baseConfigSchema, runService, type BaseConfig } from './run-service.js';

/** What a service with its own Postgres and the shared Redis reads at start. */
export const dataServiceConfigSchema = baseConfigSchema.extend({
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  /**
   * Replaces the password in DATABASE_URL, so that the URL can be plain configuration and
   * the password a secret: DATABASE_PASSWORD_FILE=/run/secrets/… under Swarm.
   */
  DATABASE_PASSWORD: env.string().optional(),
  REDIS_URL: env.url(['redis']),
});

/** The URL with the password in it, encoded: a secret may hold any character. */
export function databaseUrl({ DATABASE_URL, DATABASE_PASSWORD }: { DATABASE_URL: string; DATABASE_PASSWORD?: string | undefined }): string {
  if (DATABASE_PASSWORD === undefined) return DATABASE_URL;
  const url = new URL(DATABASE_URL);
  url.password = encodeURIComponent(DATABASE_PASSWORD);
  return url.toString();
}

type DataServiceConfig = BaseConfig & z.output<typeof dataServiceConfigSchema>;

/** What the app of a service with its own Postgres and the shared Redis is built from. */
export interface DataServiceDeps {
  db: Database;
  redis: RedisClient;
  logger: Logger;
}

export interface DataServiceDefinition<S extends z.ZodType<DataServiceConfig>> {
  name: string;
  config: S;
  /** The service's migrations folder, e.g. new URL('../migrations', import.meta.url). */
  migrations: URL;
  /** Builds the app once the database is migrated; may first prepare what it needs (users' signing key, say). */
  createApp(
    stores: Pick<DataStores, 'db' | 'redis'> & { background: BackgroundTasks },
    config: z.output<S>,
    logger: Logger,
  ): RequestListener | Promise<RequestListener>;
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
          { databaseUrl: databaseUrl(config), redisUrl: config.REDIS_URL, migrationsDir: fileURLToPath(definition.migrations) },
          logger,
        );
        const background = createBackgroundTasks();
        return {
          handler: await definition.createApp({ ...stores, background }, config, logger),
          async close() {
            // Work left running by requests may still need the pools: it gets what remains
            // of the shutdown budget, keeping a margin to close them and exit.
            const unfinished = await background.settle(Math.max(0, config.SHUTDOWN_TIMEOUT_MS - 2000));
            if (unfinished > 0) logger.error({ unfinished }, 'stopping with background work unfinished');
            await stores.close();
          },
        };
      },
    },
    environment,
  );
}
