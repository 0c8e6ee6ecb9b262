import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApiDocument } from '@shopstack/api-contract';
import { createContract, freshDataStores, startPostgres, startRedis, type Account } from '@shopstack/testing';
import { createMetrics } from '@shopstack/metrics';
import { createApp, migrations } from '../src/index.js';
import { startUsers, unique, type UsersFixture } from './users-fixture.js';

// Every answer these tests receive must match the API document (see createContract).
const contract = createContract(openApiDocument(), { prefix: '/api' });
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

let users: UsersFixture;
let admin: Account;
let ann: Account;
let bob: Account;

beforeAll(async () => {
  users = await startUsers(contract, 'users_api');
  [admin, ann, bob] = await Promise.all([users.admin(), users.customer('Ann'), users.customer('Bob')]);
});

afterAll(() => users?.close());

const request = () => users.request();
const createUser = (body: object) => request().post('/users').send({ password: 'a long enough password', ...body });

describe('POST /users', () => {
  it('creates a user with a normalised email and answers 201 with its location', async () => {
    const email = `Ann.${unique()}@Example.COM`;
    const res = await createUser({ email, name: 'Ann' });
    expect(res.status).toBe(201);
    // A customer, and never a password or its hash in the answer.
    expect(res.body).toEqual({ id: expect.any(String), email: email.toLowerCase(), name: 'Ann', role: 'customer', createdAt: expect.any(String) });
    expect(res.headers.location).toBe(`/users/${res.body.id}`);
  });

  it('refuses a second user with the same email in another case (409)', async () => {
    const email = `bob.${unique()}@example.com`;
    expect((await createUser({ email, name: 'Bob' })).status).toBe(201);
    const res = await createUser({ email: email.toUpperCase(), name: 'Bobby' });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'email_taken', message: expect.any(String), requestId: expect.any(String) });
  });

  it('lists every bad field in a 400', async () => {
    const res = await createUser({ email: 'not-an-email', name: '', admin: true, password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['admin', 'email', 'name', 'password']);
    const empty = await request().post('/users').send({});
    expect(empty.body.error.details).toEqual([
      { field: 'email', message: 'is required' },
      { field: 'name', message: 'is required' },
      { field: 'password', message: 'is required' },
    ]);
  });

  it('makes a customer whatever the body says: a role field is refused', async () => {
    const res = await createUser({ email: `eve.${unique()}@example.com`, name: 'Eve', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'role', message: 'is not allowed' }]);
  });

  it('stores an argon2id hash, never the password, and never logs it', async () => {
    const password = `secret-${unique()}`;
    const email = `hash.${unique()}@example.com`;
    expect((await createUser({ email, name: 'Hash', password })).status).toBe(201);
    await users.logIn(email, password);
    const { rows } = await users.deps.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(users.logs.lines())).not.toContain(password);
  });

  it('refuses control characters in a name', async () => {
    const res = await createUser({ email: `c.${unique()}@example.com`, name: 'evil\u0000name' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'name', message: 'must not contain control characters' }]);
  });

  it('answers 400 invalid_json for a broken body', async () => {
    const res = await request().post('/users').set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await request().post('/users').set('Content-Type', 'text/plain').send('email=a@b.c');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 413 for a body over 100 kB', async () => {
    const res = await createUser({ email: 'big@example.com', name: 'x'.repeat(150_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });
});

describe('GET /users/:id', () => {
  it('finds a user, from the database first and the cache after', async () => {
    const created = await createUser({ email: `dan.${unique()}@example.com`, name: 'Dan' });
    const first = await request().get(`/users/${created.body.id}`).set(admin.auth);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(created.body);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await request().get(`/users/${created.body.id}`).set(admin.auth);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toEqual(created.body);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await request().get('/users/0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11').set(admin.auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const malformed = await request().get('/users/42').set(admin.auth);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

describe('GET /users', () => {
  it('pages through users, newest first', async () => {
    for (let i = 0; i < 3; i += 1) await createUser({ email: `page.${i}.${unique()}@example.com`, name: `P${i}` });
    const res = await request().get('/users?limit=2&offset=1').set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.items.map((user: { name: string }) => user.name)).toEqual(['P1', 'P0']);
    expect(res.body).toMatchObject({ limit: 2, offset: 1, total: expect.any(Number) });
    expect(res.body.total).toBeGreaterThanOrEqual(3);
  });

  it('refuses a limit out of range', async () => {
    const res = await request().get('/users?limit=1000').set(admin.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'limit', message: 'must be at most 100' }]);
  });
});

describe('common behaviour', () => {
  it('answers unknown routes with a JSON 404 and never says what it is built with', async () => {
    const res = await request().delete('/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keeps an incoming request id and makes one when there is none', async () => {
    const kept = await request().get('/health').set('X-Request-ID', 'trace-me-123');
    expect(kept.headers['x-request-id']).toBe('trace-me-123');
    const made = await request().get('/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is live and ready when Postgres and Redis answer', async () => {
    expect((await request().get('/health')).body).toEqual({ status: 'ok' });
    const ready = await request().get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });

  it('is not ready (503) while its Postgres or Redis is down', async () => {
    const [ownPostgres, ownRedis] = await Promise.all([startPostgres(), startRedis()]);
    const own = await freshDataStores({ postgres: ownPostgres, redis: ownRedis, database: 'users_ready', migrations, logger: users.logs.logger });
    const ownApp = createApp({ db: own.db, redis: own.redis, logger: users.logs.logger, metrics: createMetrics('users'), cacheTtlSeconds: 60, refreshTokenTtlSeconds: 3600, cookieSecure: false, trustProxyHops: 1 });
    const request = (target: typeof ownApp) => contract.request(target);
    try {
      // Redis connects in the background, so readiness comes a moment after start.
      await vi.waitFor(async () => expect((await request(ownApp).get('/ready')).status).toBe(200), { timeout: 5000 });
      await ownRedis.stop();
      const noRedis = await request(ownApp).get('/ready');
      expect(noRedis.status).toBe(503);
      expect(noRedis.body).toEqual({ status: 'not_ready', checks: { postgres: 'up', redis: 'down' } });
      await ownPostgres.stop();
      const neither = await request(ownApp).get('/ready');
      expect(neither.body.checks).toEqual({ postgres: 'down', redis: 'down' });
      // Reads degrade to a clear 503, not a 500 or a hang.
      const read = await request(ownApp).get('/users/0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11').set(admin.auth);
      expect(read.status).toBe(503);
      expect(read.body.error.code).toBe('dependency_unavailable');
    } finally {
      await own.close().catch(() => undefined);
      // Already stopped when the test got that far; this is for when it did not.
      await Promise.all([ownPostgres.stop().catch(() => undefined), ownRedis.stop().catch(() => undefined)]);
    }
  });
});

describe('who may do what', () => {
  type Who = 'anonymous' | 'customer' | 'other customer' | 'admin';
  const as = (who: Who) => ({ anonymous: {}, customer: ann.auth, 'other customer': bob.auth, admin: admin.auth })[who];

  // [route, who, status, error code, request]: each row is one request, its answer asserted.
  type Send = (who: Who) => Promise<{ status: number; body: { error?: { code: string } } }>;
  const cases: Array<[string, Who, number, string | undefined, Send]> = [];
  const listUsers = (who: Who) => request().get('/users').set(as(who));
  const readMe = (who: Who) => request().get('/users/me').set(as(who));
  const renameMe = (who: Who) => request().patch('/users/me').set(as(who)).send({ name: 'Renamed' });
  const readAnn = (who: Who) => request().get(`/users/${ann.id}`).set(as(who));
  for (const [who, status, code] of [['anonymous', 401, 'unauthorized'], ['customer', 403, 'forbidden'], ['admin', 200]] as const) {
    cases.push(['GET /users', who, status, code, listUsers]);
  }
  for (const [who, status, code] of [['anonymous', 401, 'unauthorized'], ['customer', 200], ['admin', 200]] as const) {
    cases.push(['GET /users/me', who, status, code, readMe], ['PATCH /users/me', who, status, code, renameMe]);
  }
  for (const [who, status, code] of [['anonymous', 401, 'unauthorized'], ['customer', 200], ['other customer', 404, 'not_found'], ['admin', 200]] as const) {
    cases.push(["GET /users/:id (the customer's)", who, status, code, readAnn]);
  }

  it.each(cases)('%s as %s: %i %s', async (_route, who, status, code, send) => {
    const res = await send(who);
    expect(res.status).toBe(status);
    if (code) expect(res.body.error?.code).toBe(code);
  });

  it('says who is asking: /users/me with the role, for a customer and for the admin', async () => {
    expect((await readMe('customer')).body).toMatchObject({ id: ann.id, email: ann.email, role: 'customer' });
    expect((await readMe('admin')).body).toMatchObject({ id: admin.id, role: 'admin' });
  });

  it('answers 401 with WWW-Authenticate: Bearer when a token is needed and missing or bad', async () => {
    const missing = await request().get('/users/me');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    const bad = await request().get('/users/me').set('authorization', 'Bearer not.a.token');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('invalid_token');
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('takes no identity from any other header', async () => {
    const res = await request().get('/users').set({ 'x-user-id': admin.id, 'x-user-role': 'admin', 'x-forwarded-user': admin.email });
    expect(res.status).toBe(401);
  });

  it('lets a customer change their own name, and shows the change at once', async () => {
    const carol = await users.customer('Carol');
    const res = await request().patch('/users/me').set(carol.auth).send({ name: 'Carol B.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: carol.id, name: 'Carol B.', role: 'customer' });
    expect((await request().get('/users/me').set(carol.auth)).body.name).toBe('Carol B.');
    expect((await request().get(`/users/${carol.id}`).set(admin.auth)).body.name).toBe('Carol B.');
  });
});
