import { createClient, type RedisClientType } from '@redis/client';
import type { Logger } from '@shopstack/logger';
import { withTimeout } from '@shopstack/resilience';

type NoExtensions = Record<never, never>;

// What createClient() returns with no modules, functions or scripts (RESP3 is the default since v6).
export type RedisClient = RedisClientType<NoExtensions, NoExtensions, NoExtensions, 3, NoExtensions>;

/**
 * A client for a Redis the app can live without for a while: commands fail at once while
 * the connection is down (no offline queue piling up requests), and it reconnects in the
 * background with a capped backoff. Logs the loss and the recovery once each.
 */
export function createRedisClient(url: string, logger: Logger): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let connected = false;
  client.on('ready', () => {
    connected = true;
    logger.info('Redis connected');
  });
  client.on('error', (error: Error) => {
    if (connected) logger.warn({ err: error }, 'Redis connection lost; retrying in the background');
    connected = false;
  });
  return client;
}

/**
 * Starts connecting without waiting for success: a service comes up even when Redis is
 * down (its readiness says so) and picks Redis up when it appears.
 */
export function connectRedis(client: RedisClient, logger: Logger): void {
  client.connect().catch((error: unknown) => logger.warn({ err: error }, 'Redis not reachable yet; retrying'));
}

/**
 * Lets pending commands finish, but never waits on a Redis that is down: a client still
 * trying to reconnect is dropped at once, and a close that takes over a second is cut short.
 */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  await withTimeout(client.close(), 1000, 'Redis close').catch(() => client.destroy());
}

export async function pingRedis(client: RedisClient, timeoutMs = 1000): Promise<void> {
  await withTimeout(client.ping(), timeoutMs, 'Redis');
}
