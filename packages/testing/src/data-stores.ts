import { fileURLToPath } from 'node:url';
import type { Logger } from '@shopstack/logger';
import { connectDataStores, type DataStores } from '@shopstack/service-kit';
import { createDatabase, type StartedPostgres } from './postgres.js';
import type { StartedRedis } from './redis.js';

export interface FreshDataStoreOptions {
  postgres: StartedPostgres;
  redis: StartedRedis;
  /** A new database of this name is created in the container. */
  database: string;
  /** The service's migrations folder. */
  migrations: URL;
  logger: Logger;
}

/** A new, migrated database and a Redis connection, exactly as the service connects at start. */
export async function freshDataStores(options: FreshDataStoreOptions): Promise<DataStores> {
  const databaseUrl = await createDatabase(options.postgres, options.database);
  return connectDataStores(
    { databaseUrl, redisUrl: options.redis.getConnectionUrl(), migrationsDir: fileURLToPath(options.migrations) },
    options.logger,
  );
}
