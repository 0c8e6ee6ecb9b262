import { hostname } from 'node:os';
import type { RequestHandler } from 'express';
import type { ServiceClient } from '@shopstack/http-client';
import { callerOf } from '@shopstack/auth';
import { pingRedis, type RedisClient } from '@shopstack/redis';

/**
 * What a service's /ready reported, when it answered: its own checks ({ postgres: 'up' })
 * and, for a service that calls others, its breakers towards them ({ products: 'open' }).
 */
function readinessDetails(data: unknown): { checks?: Record<string, string>; breakers?: Record<string, string> } {
  const { checks, breakers } = (data ?? {}) as { checks?: unknown; breakers?: unknown };
  const isMap = (value: unknown): value is Record<string, string> => typeof value === 'object' && value !== null;
  return { ...(isMap(checks) ? { checks } : {}), ...(isMap(breakers) ? { breakers } : {}) };
}

/**
 * GET /api/status: each downstream's readiness (probed directly, so the probe does not
 * count towards its breaker) with what it reported, the gateway's breaker towards it with
 * the rolling counts, and which gateway instance answered. All of that for an admin only:
 * anyone else gets `{ status }`, enough for a client to know the shop is degraded, where
 * the details would tell an attacker which dependency is down and how the inside is built.
 */
export function statusHandler(clients: readonly ServiceClient[], redis: RedisClient): RequestHandler {
  const instance = hostname();
  return async (req, res) => {
    const [redisUp, ...probes] = await Promise.all([
      pingRedis(redis).then(
        () => true,
        () => false,
      ),
      ...clients.map((client) => client.probe('/ready', 1000)),
    ]);
    const breakers = clients.map((client) => client.status());
    const services = Object.fromEntries(
      clients.map((client, i) => [client.service, { ready: probes[i]?.status === 200, ...readinessDetails(probes[i]?.data), breaker: breakers[i] }]),
    );
    const healthy = redisUp && clients.every((_, i) => probes[i]?.status === 200 && breakers[i]!.state === 'closed');
    const status = healthy ? 'ok' : 'degraded';
    if (callerOf(req)?.role !== 'admin') return void res.json({ status });
    res.json({ status, redis: redisUp ? 'up' : 'down', gateway: { instance }, services });
  };
}
