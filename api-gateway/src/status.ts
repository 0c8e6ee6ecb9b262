import { hostname } from 'node:os';
import type { RequestHandler } from 'express';
import type { ServiceClient } from '@shopstack/http-client';
import { pingRedis, type RedisClient } from '@shopstack/redis';

/** A service's own readiness checks ({ postgres: 'up', redis: 'down' }), when it answered with them. */
function checksOf(data: unknown): Record<string, string> | undefined {
  const checks = (data as { checks?: unknown } | undefined)?.checks;
  return typeof checks === 'object' && checks !== null ? (checks as Record<string, string>) : undefined;
}

/**
 * GET /api/status: each downstream's readiness (probed directly, so the probe does not
 * count towards its breaker) with the checks it reported, its breaker state with the
 * rolling counts, and which gateway instance answered.
 */
export function statusHandler(clients: readonly ServiceClient[], redis: RedisClient): RequestHandler {
  const instance = hostname();
  return async (_req, res) => {
    const [redisUp, ...probes] = await Promise.all([
      pingRedis(redis).then(
        () => true,
        () => false,
      ),
      ...clients.map((client) => client.probe('/ready', 1000)),
    ]);
    const services = Object.fromEntries(
      clients.map((client, i) => {
        const checks = checksOf(probes[i]?.data);
        return [client.service, { ready: probes[i]?.status === 200, ...(checks ? { checks } : {}), breaker: client.status() }];
      }),
    );
    const healthy = redisUp && clients.every((client, i) => probes[i]?.status === 200 && client.status().state === 'closed');
    res.json({ status: healthy ? 'ok' : 'degraded', redis: redisUp ? 'up' : 'down', gateway: { instance }, services });
  };
}
