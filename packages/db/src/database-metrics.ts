import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Metrics } from '@shopstack/metrics';

export interface DatabaseMetrics {
  /** Times `work` (a statement, or a whole transaction) in db_query_duration_seconds, whatever its outcome. */
  timed<T>(work: () => Promise<T>): Promise<T>;
  /** The pool is closed: its connections are no longer counted. */
  stop(): void;
}

/**
 * A pool's connections, read from the pool at each scrape (nothing to keep up to date), and
 * the time of each statement or transaction the service runs.
 */
export function databaseMetrics(metrics: Metrics, pool: pg.Pool): DatabaseMetrics {
  const durations = metrics.histogram({ name: 'db_query_duration_seconds', help: 'Postgres statements and transactions, in seconds' });
  const stop = metrics.sampled({ name: 'db_pool_connections', help: 'Postgres pool connections: open in all, idle, and requests waiting for one', labelNames: ['state'] }, (gauge) => {
    gauge.inc({ state: 'total' }, pool.totalCount);
    gauge.inc({ state: 'idle' }, pool.idleCount);
    gauge.inc({ state: 'waiting' }, pool.waitingCount);
  });
  return {
    async timed(work) {
      const startedAt = performance.now();
      try {
        return await work();
      } finally {
        durations.observe((performance.now() - startedAt) / 1000);
      }
    },
    stop,
  };
}
