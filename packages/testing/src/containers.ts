import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { parse } from 'yaml';
import { connectDatabase, migrate, type Database } from '@shopstack/db';
import type { Logger } from '@shopstack/logger';
import { closeRedis, connectRedis, createRedisClient, type RedisClient } from '@shopstack/redis';

export type StartedPostgres = StartedPostgreSqlContainer;
export type StartedRedis = StartedRedisContainer;

/**
 * The image a compose service runs, read from docker-compose.yml: tests use exactly the
 * Postgres and Redis the stack uses, and a version bump happens in one place.
 */
function composeImage(service: string): string {
  // Three folders up from src/ and from dist/ alike: the repository's root.
  const file = readFileSync(fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url)), 'utf8');
  const image = (parse(file, { merge: true }) as { services: Record<string, { image?: string }> }).services[service]?.image;
  if (!image) throw new Error(`docker-compose.yml has no image for service ${service}`);
  // Resolve ${VAR:-default} to its default, as compose would with VAR unset.
  return image.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

/** A Postgres container with the image of the stack's databases. */
export function startPostgres(): Promise<StartedPostgres> {
  return new PostgreSqlContainer(composeImage('users-db')).start();
}

/** A Redis container with the image of the stack's Redis. */
export function startRedis(): Promise<StartedRedis> {
  return new RedisContainer(composeImage('redis')).start();
}

/**
 * A Redis container like startRedis's, with an ACL file (as the secrets job makes for the
 * stack: the default user off, one user per client): connect as one of its users.
 */
export function startRedisWithAcl(aclFile: string): Promise<StartedRedis> {
  return new RedisContainer(composeImage('redis'))
    .withCopyContentToContainer([{ content: aclFile, target: '/etc/redis/users.acl', mode: 0o644 }])
    .withCommand(['redis-server', '--aclfile', '/etc/redis/users.acl'])
    .start();
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

export interface DataStores {
  db: Database;
  redis: RedisClient;
  close(): Promise<void>;
}

export interface FreshDataStoreOptions {
  postgres: StartedPostgres;
  redis: StartedRedis;
  /** A new database of this name is created in the container. */
  database: string;
  /** The service's migrations folder. */
  migrations: URL;
  logger: Logger;
  /** Redis as a user of its ACL (startRedisWithAcl); the container's default user otherwise. */
  redisUrl?: string;
}

/** A new database with the service's migrations applied, and a Redis client, as the service connects at start. */
export async function freshDataStores({ postgres, redis: container, database, migrations, logger, redisUrl }: FreshDataStoreOptions): Promise<DataStores> {
  const db = connectDatabase({ connectionString: await createDatabase(postgres, database) }, logger);
  await migrate(db, fileURLToPath(migrations), logger);
  const redis = createRedisClient(redisUrl ?? container.getConnectionUrl(), logger);
  connectRedis(redis, logger);
  return {
    db,
    redis,
    async close() {
      await closeRedis(redis);
      await db.end();
    },
  };
}
