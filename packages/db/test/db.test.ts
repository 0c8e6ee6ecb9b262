import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@shopstack/metrics';
import { captureLogger, cleanUp, createDatabase, metricValue, samplesOf, startPostgres, type StartedPostgres } from '@shopstack/testing';
import { connectDatabase, migrate, type Database } from '../src/index.js';

const { logger } = captureLogger('db');
let postgres: StartedPostgres;
let dir: string;
const pools: Database[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  // The first one is slow on purpose, so that both replicas are inside migrate() together.
  await writeFile(path.join(dir, '001_create_things.sql'), 'SELECT pg_sleep(0.5); CREATE TABLE things (id int PRIMARY KEY);');
  await writeFile(path.join(dir, '002_add_name.sql'), 'ALTER TABLE things ADD COLUMN name text;');
  await writeFile(path.join(dir, 'README.txt'), 'not a migration');
});

afterAll(() =>
  cleanUp({
    pools: () => Promise.all(pools.map((pool) => pool.end())),
    files: () => rm(dir, { recursive: true, force: true }),
    container: async () => postgres?.stop(),
  }),
);

const poolFor = (connectionString: string) => {
  const pool = connectDatabase({ connectionString }, logger);
  pools.push(pool);
  return pool;
};

describe('pool', () => {
  it('survives its database dropping a connection that is checked out', async () => {
    const url = await createDatabase(postgres, 'dropped');
    const pool = poolFor(url);
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await poolFor(url).query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    // The termination reaches the client as an 'error' event while it is checked out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.release(true);
    expect((await pool.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok).toBe(1);
  });
});

describe('migrate', () => {
  it('applies each migration once when two replicas start at the same moment', async () => {
    const url = await createDatabase(postgres, 'two_replicas');
    const [first, second] = await Promise.all([migrate(poolFor(url), dir, logger), migrate(poolFor(url), dir, logger)]);
    expect([...first, ...second].sort()).toEqual(['001_create_things.sql', '002_add_name.sql']);
    const { rows } = await poolFor(url).query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(['001_create_things.sql', '002_add_name.sql']);
  });

  it('applies only what is new on the next start', async () => {
    const url = await createDatabase(postgres, 'restarts');
    await migrate(poolFor(url), dir, logger);
    await writeFile(path.join(dir, '003_add_index.sql'), 'CREATE INDEX things_name_idx ON things (name);');
    expect(await migrate(poolFor(url), dir, logger)).toEqual(['003_add_index.sql']);
    expect(await migrate(poolFor(url), dir, logger)).toEqual([]);
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    const url = await createDatabase(postgres, 'failing');
    const broken = await mkdtemp(path.join(os.tmpdir(), 'broken-'));
    try {
      await writeFile(path.join(broken, '001_half.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
      await expect(migrate(poolFor(url), broken, logger)).rejects.toThrow(/no_such_function/);
      const { rows } = await poolFor(url).query("SELECT to_regclass('half') AS half, (SELECT count(*)::int FROM schema_migrations) AS recorded");
      expect(rows[0]).toEqual({ half: null, recorded: 0 });
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});

describe('metrics', () => {
  it("times each statement and transaction, and reads the pool's connections at each scrape", async () => {
    const metrics = createMetrics('things');
    // Ended by the test itself (a pool ends once), not with the others.
    const db = connectDatabase({ connectionString: await createDatabase(postgres, 'measured'), max: 1 }, logger, metrics);
    await db.query('SELECT 1');
    await db.transaction((client) => client.query('SELECT 2'));
    expect(await metricValue(metrics, 'db_query_duration_seconds')).toBe(2);
    // The one connection checked out, and a statement waiting for it.
    const held = await db.connect();
    const waiting = db.query('SELECT 3');
    await expect.poll(() => metricValue(metrics, 'db_pool_connections', { state: 'waiting' })).toBe(1);
    expect(await metricValue(metrics, 'db_pool_connections', { state: 'total' })).toBe(1);
    expect(await metricValue(metrics, 'db_pool_connections', { state: 'idle' })).toBe(0);
    held.release();
    await waiting;
    expect(await metricValue(metrics, 'db_pool_connections', { state: 'idle' })).toBe(1);
    expect(await metricValue(metrics, 'db_pool_connections', { state: 'waiting' })).toBe(0);
    await db.end();
    // A closed pool is no longer counted.
    expect(await samplesOf(metrics, 'db_pool_connections')).toEqual([]);
  });
});
