import type { RequestHandler } from 'express';
import { checkDatabase, type Database } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { pingRedis, type RedisClient } from '@shopstack/redis';

/** Named checks that resolve when the dependency answers and reject when it does not. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/**
 * 200 when every check passes, 503 naming the ones that failed; checks run in parallel.
 * `report` adds what the service wants its callers to see without it deciding readiness
 * (the state of its own circuit breakers, say).
 */
export function readinessHandler(checks: ReadinessChecks, report?: () => Record<string, unknown>): RequestHandler {
  return async (_req, res) => {
    const names = Object.keys(checks);
    const outcomes = await Promise.allSettled(names.map((name) => checks[name]!()));
    const results = Object.fromEntries(names.map((name, i) => [name, outcomes[i]!.status === 'fulfilled' ? 'up' : 'down']));
    const ready = outcomes.every((outcome) => outcome.status === 'fulfilled');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results, ...report?.() });
  };
}

/** Readiness of a service with its own Postgres and the shared Redis. */
export function dataStoreChecks({ db, redis }: { db: Database; redis: RedisClient }): ReadinessChecks {
  return { postgres: () => checkDatabase(db), redis: () => pingRedis(redis) };
}

/** What the app of a service with its own Postgres and the shared Redis is built from. */
export interface DataServiceDeps {
  db: Database;
  redis: RedisClient;
  logger: Logger;
  metrics: Metrics;
}
