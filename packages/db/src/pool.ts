import pg from 'pg';
import type { Logger } from '@shopstack/logger';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';
import { isConnectionError } from './connection-errors.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolSettings {
  connectionString: string;
  max?: number;
  /** How long a request waits for a connection before failing (fast, when the database is down). */
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export function createPool(settings: PoolSettings, logger: Logger): Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max ?? 10,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs ?? 5000,
    // The server enforces statement_timeout only while it is alive; a database that died
    // mid-query never answers, so the client gives up a second later on its own.
    query_timeout: (settings.statementTimeoutMs ?? 5000) + 1000,
    keepAlive: true,
    application_name: logger.bindings()['service'] as string | undefined,
  });
  // A client whose connection drops (the database restarted or died) emits 'error'. The
  // pool listens only while a client is idle; one checked out for a transaction would throw
  // it as an uncaught exception and kill the process. So every client gets a listener of
  // its own, and the request using it fails on its own, with a 503.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error }, 'Postgres connection lost'));
  });
  // The pool re-emits idle clients' errors; the client's own listener has logged them.
  pool.on('error', () => undefined);
  timeQueries(pool);
  return pool;
}

/**
 * Every `pool.query` counts towards the current request's database time (its Server-Timing
 * `db` entry). pg has no query hooks, so the method is wrapped; callback-style calls, which
 * this code base does not make, go through untimed.
 */
function timeQueries(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) =>
    typeof args[args.length - 1] === 'function' ? query(...args) : timed('db', async () => query(...args))) as typeof pool.query;
}

/** The readiness query: a round trip, bounded in time. */
export async function checkDatabase(pool: Pool, timeoutMs = 1000): Promise<void> {
  await withTimeout(pool.query('SELECT 1'), timeoutMs, 'Postgres');
}

/** `work` inside BEGIN … COMMIT on one connection; timed as database time as a whole. */
export function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return timed('db', () => transaction(pool, work));
}

async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that failed (timed out, reset) is dropped, not rolled back: a ROLLBACK
    // would wait on the same dead socket. The server rolls back when the connection goes.
    broken = isConnectionError(error);
    if (!broken) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
}
