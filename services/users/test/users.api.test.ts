import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Express } from 'express';
import { openApiDocument } from '@shopstack/api-contract';
import type { DataStores } from '@shopstack/service-kit';
import { captureLogger, cleanUp, createContract, freshDataStores, type StartedPostgres, type StartedRedis, startPostgres, startRedis } from '@shopstack/testing';
import { createApp, migrations } from '../src/index.js';

// Every answer these tests receive must match the API document (see createContract).
const contract = createContract(openApiDocument(), { prefix: '/api' });
const request = contract.request;
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

const { logger } = captureLogger('users');

let postgres: StartedPostgres;
let redis: StartedRedis;
let stores: DataStores;
let app: Express;

const storesFor = (pg: StartedPostgres, rd: StartedRedis, database: string) =>
  freshDataStores({ postgres: pg, redis: rd, database, migrations, logger });

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  stores = await storesFor(postgres, redis, 'users_api');
  app = createApp({ db: stores.db, redis: stores.redis, logger, cacheTtlSeconds: 60 });
});

afterAll(() =>
  cleanUp({
    stores: async () => stores?.close(),
    containers: () => Promise.all([postgres?.stop(), redis?.stop()]),
  }),
);

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const createUser = (body: unknown) => request(app).post('/users').send(body as object);

describe('POST /users', () => {
  it('creates a user with a normalised email and answers 201 with its location', async () => {
    const email = `Ann.${unique()}@Example.COM`;
    const res = await createUser({ email, name: 'Ann' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email: email.toLowerCase(), name: 'Ann', createdAt: expect.any(String) });
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
    const res = await createUser({ email: 'not-an-email', name: '', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['admin', 'email', 'name']);
    const empty = await createUser({});
    expect(empty.body.error.details).toEqual([
      { field: 'email', message: 'is required' },
      { field: 'name', message: 'is required' },
    ]);
  });

  it('refuses control characters in a name', async () => {
    const res = await createUser({ email: `c.${unique()}@example.com`, name: 'evil\u0000name' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'name', message: 'must not contain control characters' }]);
  });

  it('answers 400 invalid_json for a broken body', async () => {
    const res = await request(app).post('/users').set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await request(app).post('/users').set('Content-Type', 'text/plain').send('email=a@b.c');
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
    const first = await request(app).get(`/users/${created.body.id}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(created.body);
    expect(first.headers['x-cache']).toBe('miss');
    const second = await request(app).get(`/users/${created.body.id}`);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toEqual(created.body);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await request(app).get('/users/0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const malformed = await request(app).get('/users/42');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

describe('GET /users', () => {
  it('pages through users, newest first', async () => {
    for (let i = 0; i < 3; i += 1) await createUser({ email: `page.${i}.${unique()}@example.com`, name: `P${i}` });
    const res = await request(app).get('/users?limit=2&offset=1');
    expect(res.status).toBe(200);
    expect(res.body.items.map((user: { name: string }) => user.name)).toEqual(['P1', 'P0']);
    expect(res.body).toMatchObject({ limit: 2, offset: 1, total: expect.any(Number) });
    expect(res.body.total).toBeGreaterThanOrEqual(3);
  });

  it('refuses a limit out of range', async () => {
    const res = await request(app).get('/users?limit=1000');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'limit', message: 'must be at most 100' }]);
  });
});

describe('common behaviour', () => {
  it('answers unknown routes with a JSON 404 and never says what it is built with', async () => {
    const res = await request(app).delete('/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keeps an incoming request id and makes one when there is none', async () => {
    const kept = await request(app).get('/health').set('X-Request-ID', 'trace-me-123');
    expect(kept.headers['x-request-id']).toBe('trace-me-123');
    const made = await request(app).get('/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is live and ready when Postgres and Redis answer', async () => {
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'up', redis: 'up' } });
  });

  it('is not ready (503) while its Postgres or Redis is down', async () => {
    const [ownPostgres, ownRedis] = await Promise.all([startPostgres(), startRedis()]);
    const own = await storesFor(ownPostgres, ownRedis, 'users_ready');
    const ownApp = createApp({ db: own.db, redis: own.redis, logger, cacheTtlSeconds: 60 });
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
      const read = await request(ownApp).get('/users/0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11');
      expect(read.status).toBe(503);
      expect(read.body.error.code).toBe('dependency_unavailable');
    } finally {
      await own.close().catch(() => undefined);
      // Already stopped when the test got that far; this is for when it did not.
      await Promise.all([ownPostgres.stop().catch(() => undefined), ownRedis.stop().catch(() => undefined)]);
    }
  });
});
