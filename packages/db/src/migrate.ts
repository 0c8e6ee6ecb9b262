import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@shopstack/logger';
import type { Database } from './database.js';

// Any constant works; it only has to be the same for every replica of a service.
const MIGRATION_LOCK_ID = 72_443_001;
const MIGRATION_FILE = /^(\d+)_[\w-]+\.sql$/;

/**
 * Applies `dir/NNN_name.sql` files in order, each once and in its own transaction. A
 * session-level advisory lock serialises replicas that start at the same moment: the
 * second waits, then finds nothing left to do.
 */
export async function migrate(db: Database, dir: string, logger: Logger): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const lock = await db.connect();
  try {
    // Migrations, and waiting for another replica's, may take longer than a request may.
    await lock.query('SET statement_timeout = 0');
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await lock.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await lock.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const name of files.filter((file) => !done.has(file))) {
      const sql = await readFile(path.join(dir, name), 'utf8');
      await db.transaction(async (client) => {
        await client.query('SET LOCAL statement_timeout = 0');
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      });
      logger.info({ migration: name }, 'migration applied');
      applied.push(name);
    }
    return applied;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.query('RESET statement_timeout').catch(() => undefined);
    lock.release();
  }
}
