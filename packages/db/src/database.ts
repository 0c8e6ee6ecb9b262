import pg from 'pg';
import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { withTimeout } from '@shopstack/resilience';
import { timed } from '@shopstack/timing';
import { isConnectionError } from './connection-errors.js';
import { databaseMetrics } from './database-metrics.js';

export type PoolClient = pg.PoolClient;

export interface DatabaseSettings {
  connectionString: string;
  max?: number;
  /** How long a request waits for a connection before failing (fast, when the database is down). */
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/**
 * A service's Postgres, as its repositories use it. Every statement and every transaction
 * is timed here, where the code calls out, as the current request's `db` part of its
 * Server-Timing, and in `metrics` when given: nothing of pg's is patched.
 */
export interface Database {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** `work` inside BEGIN … COMMIT on one connection, rolled back if it throws. */
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  /** A connection of its own, for what must hold one (the migrations' lock, tests); release it. */
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
}

export function connectDatabase(settings: DatabaseSettings, logger: Logger, metrics?: Metrics): Database {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max ?? 10,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs ?? 5000,
    // The server enforces statement_timeout only while it is alive; a database that died
    // mid-query never answers, so the client gives up a second later on its own. See
    // README, "Time budgets".
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
  const measure = metrics && databaseMetrics(metrics, pool);
  const measured = <T>(work: () => Promise<T>): Promise<T> => timed('db', () => (measure ? measure.timed(work) : work()));
  return {
    query: (text, values) => measured(() => pool.query(text, values)),
    transaction: (work) => measured(() => transaction(pool, work)),
    connect: () => pool.connect(),
    end: () => {
      measure?.stop();
      return pool.end();
    },
  };
}

/** The readiness query: a round trip, bounded in time. */
export async function checkDatabase(db: Database, timeoutMs = 1000): Promise<void> {
  await withTimeout(db.query('SELECT 1'), timeoutMs, 'Postgres');
}

async function transaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
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
