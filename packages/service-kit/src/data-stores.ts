import { createPool, isConnectionError, migrate, type Pool } from '@shopstack/db';
import { retry } from '@shopstack/resilience';
import type { Logger } from '@shopstack/logger';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';

export interface DataStoreSettings {
  databaseUrl: string;
  redisUrl: string;
  migrationsDir: string;
}

export interface DataStores {
  db: Pool;
  redis: RedisClient;
  close(): Promise<void>;
}

/**
 * The service's own Postgres, migrated, and the shared Redis. A database still starting is
 * waited for (up to 30 s) rather than crashing the container into a restart loop; Redis is
 * connected in the background because the service can answer without it.
 */
export async function connectDataStores(settings: DataStoreSettings, logger: Logger): Promise<DataStores> {
  const db = createPool({ connectionString: settings.databaseUrl }, logger);
  await retry(() => migrate(db, settings.migrationsDir, logger), {
    policy: { retries: 20, baseDelayMs: 250, maxDelayMs: 4000, deadlineMs: 30_000 },
    shouldRetry: isConnectionError,
    onRetry: ({ error, delayMs }) => logger.warn({ err: error, delayMs }, 'database not reachable yet; waiting'),
  });
  const redis = createRedisClient(settings.redisUrl, logger);
  connectRedis(redis, logger);
  return {
    db,
    redis,
    async close() {
      await closeRedis(redis);
      await db.end();
    },
  };
}
