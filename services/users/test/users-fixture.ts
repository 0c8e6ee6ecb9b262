import type { Express } from 'express';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openApiDocument } from '@shopstack/api-contract';
import {
  captureLogger,
  cleanUp,
  createContract,
  freshDataStores,
  startPostgres,
  startRedis,
  TEST_ADMIN,
  type Account,
  type Contract,
  type DataStores,
  type StartedPostgres,
  type StartedRedis,
} from '@shopstack/testing';
import { createMetrics } from '@shopstack/metrics';
import { createApp, migrations, prepareAccounts } from '../src/index.js';

export const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** The cookie a response set, as a browser sends it back (`refresh_token=…`), and its attributes. */
export function refreshCookie(setCookie: string[] | string | undefined): { pair: string; attributes: string } | undefined {
  const line = [setCookie ?? []].flat().find((candidate) => candidate.startsWith('refresh_token='));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((part) => part.trim());
  return { pair: pair!, attributes: attributes.join('; ') };
}

/**
 * The users app on a fresh database with the test admin made at start, as server.ts does,
 * and helpers that sign up and log in through its routes (each checked by `contract`).
 */
export async function startUsers(contract: Contract, database: string) {
  const logs = captureLogger('users');
  const [postgres, redis]: [StartedPostgres, StartedRedis] = await Promise.all([startPostgres(), startRedis()]);
  const stores: DataStores = await freshDataStores({ postgres, redis, database, migrations, logger: logs.logger });
  const deps = { db: stores.db, redis: stores.redis, logger: logs.logger, cacheTtlSeconds: 60 };
  await prepareAccounts(deps, { admin: TEST_ADMIN });
  const build = (metrics = createMetrics('users')): Express => createApp({ ...deps, metrics, refreshTokenTtlSeconds: 3600, cookieSecure: false, trustProxyHops: 1 });
  const metrics = createMetrics('users');
  const app = build(metrics);
  const request = () => contract.request(app);

  async function logIn(email: string, password: string, target: Express = app): Promise<Account> {
    const res = await contract.request(target).post('/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
    const me = await contract.request(target).get('/users/me').set('authorization', `Bearer ${res.body.accessToken}`);
    return {
      id: me.body.id,
      email,
      password,
      accessToken: res.body.accessToken,
      cookie: refreshCookie(res.headers['set-cookie'])!.pair,
      auth: { authorization: `Bearer ${res.body.accessToken}` },
    };
  }

  async function signUp(name = 'Ann'): Promise<{ id: string; email: string; password: string }> {
    const email = `${name.toLowerCase()}.${unique()}@example.com`;
    const password = `pass-${unique()}`;
    const res = await request().post('/users').send({ email, name, password });
    if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${res.text}`);
    return { id: res.body.id, email, password };
  }

  return {
    app,
    /** The app's metrics, as its /metrics would serve them. */
    metrics,
    /** Another app on the same database and Redis: a second replica, or this one after a restart. */
    build,
    deps,
    logs,
    postgres,
    redis,
    request,
    logIn,
    signUp,
    customer: async (name?: string) => {
      const { email, password } = await signUp(name);
      return logIn(email, password);
    },
    admin: () => logIn(TEST_ADMIN.email, TEST_ADMIN.password),
    close: () =>
      cleanUp({
        stores: () => stores.close(),
        containers: () => Promise.all([postgres.stop(), redis.stop()]),
      }),
  };
}

export type UsersFixture = Awaited<ReturnType<typeof startUsers>>;

/**
 * For a test file: the users app (see startUsers) started before its tests and stopped after
 * them, every answer its tests receive checked against the API document.
 */
export function useUsers(database: string): () => UsersFixture {
  const contract = createContract(openApiDocument(), { prefix: '/api' });
  let users: UsersFixture | undefined;
  beforeAll(async () => {
    users = await startUsers(contract, database);
  });
  afterAll(() => users?.close());
  afterEach(() => {
    expect(contract.takeViolations()).toEqual([]);
  });
  return () => {
    if (!users) throw new Error('the users app is not started yet');
    return users;
  };
}
