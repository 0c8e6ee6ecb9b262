import { connectDatabase, isConnectionError, migrate, type Database } from '@shopstack/db';
import { retry } from '@shopstack/resilience';
import type { Logger } from '@shopstack/logger';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';

export interface DataStoreSettings {
  databaseUrl: string;
  redisUrl: string;
  migrationsDir: string;
}

export interface DataStores {
  db: Database;
  redis: RedisClient;
  close(): Promise<void>;
}

// No deadline: with no start order (Swarm, Kubernetes), a database may come minutes after
// its service, and exiting would only restart the wait, with a stack trace each time. The
// service says it is not ready meanwhile (see starting.ts).
const WAIT_FOR_DATABASE = { retries: Number.POSITIVE_INFINITY, baseDelayMs: 250, maxDelayMs: 4000, deadlineMs: Number.POSITIVE_INFINITY };

/**
 * The service's own Postgres, migrated, and the shared Redis. A database not there yet is
 * waited for, for as long as it takes, rather than crashing the container into a restart
 * loop; any other failure (a wrong password, a broken migration) still ends the start. Redis
 * is connected in the background because the service can answer without it.
 */
export async function connectDataStores(settings: DataStoreSettings, logger: Logger): Promise<DataStores> {
  const db = connectDatabase({ connectionString: settings.databaseUrl }, logger);
  await retry(() => migrate(db, settings.migrationsDir, logger), {
    policy: WAIT_FOR_DATABASE,
    shouldRetry: isConnectionError,
    // The reason alone: an expected wait, not a bug, so no stack trace.
    onRetry: ({ error, delayMs }) => logger.warn({ reason: (error as Error).message, delayMs }, 'database not reachable yet; waiting'),
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
