import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@shopstack/metrics';
import { closeRedis, connectRedis, createRedisClient, pingRedis, type RedisClient } from '@shopstack/redis';
import { redisUrl } from '@shopstack/service-kit';
import { captureLogger, cleanUp, freshDataStores, listen, startPostgres, startRedisWithAcl, waitUntil, type DataStores, type Listening, type StartedPostgres, type StartedRedis } from '@shopstack/testing';
import { createApp, migrations } from '@shopstack/users';
import { REDIS_USERS, redisAclFile } from '../src/redis-acl.js';

// Redis with the ACL file this job makes, and the services' own code against it: each
// client's commands pass on its own keys, and anything else is refused.

const PASSWORDS = new Map(REDIS_USERS.map(({ password }) => [password, `${password}-in-this-test`]));
const urlOf = (redis: StartedRedis, user: string) =>
  redisUrl({ REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`, REDIS_USERNAME: user, REDIS_PASSWORD: PASSWORDS.get(REDIS_USERS.find((u) => u.user === user)!.password) });

let postgres: StartedPostgres;
let redis: StartedRedis;
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedisWithAcl(redisAclFile(PASSWORDS))]);
});
afterAll(() => cleanUp({ postgres: () => postgres?.stop(), redis: () => redis?.stop() }));

/** A client of the stack's kind, logged in as `user`, connected. */
async function clientAs(user: string): Promise<RedisClient> {
  const { logger } = captureLogger(user);
  const client = createRedisClient(urlOf(redis, user), logger);
  connectRedis(client, logger);
  await waitUntil(`${user} to connect`, async () => client.isReady, 10_000, 50);
  return client;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: Error) => error.message);

describe('the users app against Redis with its ACL', () => {
  let stores: DataStores;
  let app: Listening;
  beforeAll(async () => {
    const logs = captureLogger('users');
    stores = await freshDataStores({ postgres, redis, database: 'users_acl', migrations, logger: logs.logger, redisUrl: urlOf(redis, 'users') });
    await waitUntil('users to reach Redis', async () => stores.redis.isReady, 10_000, 50);
    app = await listen(createApp({ db: stores.db, redis: stores.redis, logger: logs.logger, metrics: createMetrics('users'), cacheTtlSeconds: 60, refreshTokenTtlSeconds: 3600, cookieSecure: false, trustProxyHops: 1 }));
  });
  afterAll(() => cleanUp({ app: () => app?.close(), stores: () => stores?.close() }));

  const post = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is ready, caches, and counts failed logins, under users:', async () => {
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    const account = { email: `acl.${Date.now()}@example.com`, name: 'Acl', password: 'a-long-password' };
    expect((await post('/users', account)).status).toBe(201);
    expect((await post('/auth/login', { email: account.email, password: 'a-wrong-password' })).status).toBe(401);
    const login = await post('/auth/login', { email: account.email, password: account.password });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = (await (await fetch(`${app.url}/users/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { id: string };
    // What it wrote is there, under its prefix, seen with its own credentials.
    expect(await stores.redis.get(`users:user:${me.id}`)).toContain(account.email);
  });

  it('is refused another client’s keys, FLUSHALL and CONFIG SET', async () => {
    expect(await refusal(stores.redis.get('products:product:1'))).toMatch(/^NOPERM/);
    expect(await refusal(stores.redis.set('gateway:stale:product:1', '{}'))).toMatch(/^NOPERM/);
    expect(await refusal(stores.redis.flushAll())).toMatch(/^NOPERM/);
    expect(await refusal(stores.redis.configSet('appendonly', 'no'))).toMatch(/^NOPERM/);
  });
});

describe('every client of the stack', () => {
  it.each([
    ['products', 'products:product:1', 'users:user:1'],
    ['orders', 'orders:idempotency:u:k', 'products:product:1'],
    ['api-gateway', 'gateway:stale:product:1', 'orders:idempotency:u:k'],
  ])('%s may write and read %s, not %s', async (user, own, other) => {
    const client = await clientAs(user);
    try {
      await pingRedis(client);
      expect(await client.set(own, 'x', { PX: 10_000 })).toBe('OK');
      if (user !== 'orders') expect(await client.get(own)).toBe('x');
      expect(await refusal(client.set(other, 'x'))).toMatch(/^NOPERM/);
      expect(await refusal(client.keys('*'))).toMatch(/^NOPERM/);
    } finally {
      await closeRedis(client);
    }
  });

  it('leaves the default user off, and the healthcheck user no key', async () => {
    // A client that says nobody's name: the default user, off.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(redis.getMappedPort(6379), redis.getHost(), () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(String(data));
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(answer).toMatch(/^-NOAUTH/);
    const healthcheck = await clientAs('healthcheck');
    try {
      expect(await healthcheck.ping()).toBe('PONG');
      expect(await refusal(healthcheck.get('users:user:1'))).toMatch(/^NOPERM/);
    } finally {
      await closeRedis(healthcheck);
    }
  });
});
