import type { RequestHandler } from 'express';
import type { ServiceClient } from '@shopstack/http-client';
import { pingRedis, type RedisClient } from '@shopstack/redis';

/**
 * GET /api/status: each downstream's readiness (probed directly, so the probe does not
 * count towards its breaker) and its breaker state with the rolling counts.
 */
export function statusHandler(clients: readonly ServiceClient[], redis: RedisClient): RequestHandler {
  return async (_req, res) => {
    const [redisUp, ...probes] = await Promise.all([
      pingRedis(redis).then(
        () => true,
        () => false,
      ),
      ...clients.map((client) => client.probe('/ready', 1000)),
    ]);
    const services = Object.fromEntries(
      clients.map((client, i) => [client.service, { ready: probes[i] === 200, breaker: client.status() }]),
    );
    const healthy = redisUp && clients.every((client, i) => probes[i] === 200 && client.status().state === 'closed');
    res.json({ status: healthy ? 'ok' : 'degraded', redis: redisUp ? 'up' : 'down', services });
  };
}
