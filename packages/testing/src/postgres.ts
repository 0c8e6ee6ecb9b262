import pg from 'pg';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { composeImage } from './compose-images.js';

export type StartedPostgres = StartedPostgreSqlContainer;

/** A Postgres container with the image of the stack's databases. */
export async function startPostgres(): Promise<StartedPostgres> {
  return new PostgreSqlContainer(composeImage('users-db')).start();
}

/** A fresh, empty database in the container; returns its connection string. */
export async function createDatabase(container: StartedPostgres, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: container.getConnectionUri() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(container.getConnectionUri());
  url.pathname = `/${name}`;
  return url.toString();
}
