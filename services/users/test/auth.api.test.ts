import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportPKCS8, generateKeyPair } from 'jose';
import { openApiDocument } from '@shopstack/api-contract';
import { createTokenVerifier, localKeys, remoteKeys } from '@shopstack/auth';
import { createContract, listen, TEST_ADMIN } from '@shopstack/testing';
import { prepareAccounts, rotateSigningKey } from '../src/index.js';
import { refreshCookie, startUsers, unique, type UsersFixture } from './users-fixture.js';

const contract = createContract(openApiDocument(), { prefix: '/api' });
afterEach(() => {
  expect(contract.takeViolations()).toEqual([]);
});

let users: UsersFixture;
beforeAll(async () => {
  users = await startUsers(contract, 'users_auth');
});
afterAll(() => users?.close());

const request = () => users.request();
const login = (email: string, password: string, address = '203.0.113.7') =>
  request().post('/auth/login').set('x-forwarded-for', address).send({ email, password });
const refresh = (cookie?: string) => (cookie ? request().post('/auth/refresh').set('cookie', cookie) : request().post('/auth/refresh'));
const me = (accessToken: string) => request().get('/users/me').set('authorization', `Bearer ${accessToken}`);
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string; alg: string };

describe('POST /auth/login', () => {
  it('answers a bearer token and sets the refresh cookie HttpOnly, SameSite=Strict, on /api/auth only', async () => {
    const { email, password, id } = await users.signUp();
    const res = await login(email, password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = refreshCookie(res.headers['set-cookie'])!;
    expect(cookie.pair).toMatch(/^refresh_token=[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toMatch(/Path=\/api\/auth/);
    expect(cookie.attributes).toMatch(/HttpOnly/);
    expect(cookie.attributes).toMatch(/SameSite=Strict/);
    expect(cookie.attributes).toMatch(/Max-Age=3600/);
    expect((await me(res.body.accessToken)).body).toMatchObject({ id, role: 'customer' });
  });

  it('cannot tell a wrong password from an unknown email: same 401, same message, about the same time', async () => {
    const { email } = await users.signUp();
    const wrong = await login(email, 'not the password at all');
    const unknown = await login(`nobody.${unique()}@example.com`, 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toEqual({ ...wrong.body.error, requestId: expect.any(String) });
    expect(wrong.body.error.code).toBe('invalid_credentials');
    // Medians of a few tries each, the two kinds taken in turns so that whatever else the
    // machine runs weighs on both alike: without the dummy hash an unknown email answers
    // ~10x faster.
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 7; i += 1) {
      for (const [kind, send] of [
        ['known', () => login(email, 'wrong password!!', '192.0.2.19')],
        ['unknown', () => login(`x.${unique()}@example.com`, 'wrong password!!', '192.0.2.19')],
      ] as const) {
        const startedAt = performance.now();
        await send();
        times[kind].push(performance.now() - startedAt);
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[3]!;
    const [known, unknownTime] = [median(times.known), median(times.unknown)];
    expect(unknownTime / known).toBeGreaterThan(0.5);
    expect(unknownTime / known).toBeLessThan(2);
  });

  it('limits failures per email: the 11th attempt in 15 minutes is a 429 with Retry-After, even with the right password', async () => {
    const { email, password } = await users.signUp();
    for (let i = 0; i < 10; i += 1) expect((await login(email, 'wrong password!!', `198.51.100.${i}`)).status).toBe(401);
    const limited = await login(email, password, '198.51.100.200');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    // Another account is not held back by it.
    const other = await users.signUp();
    expect((await login(other.email, other.password, '198.51.100.200')).status).toBe(200);
  });

  it('counts guesses sent all at once: of 30 in parallel for one email, at most 10 are checked', async () => {
    const { email } = await users.signUp();
    const answers = await Promise.all(Array.from({ length: 30 }, () => login(email, 'wrong password!!', '198.51.100.150')));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it('limits failures per address more loosely: 100 in 15 minutes, then 429 for any email from it', async () => {
    const address = '192.0.2.99';
    const { email, password } = await users.signUp();
    for (let i = 0; i < 100; i += 1) expect((await login(`guess.${i}.${unique()}@example.com`, 'wrong password!!', address)).status).toBe(401);
    expect((await login(email, password, address)).status).toBe(429);
    expect((await login(email, password, '192.0.2.100')).status).toBe(200);
  });

  it('leaves a user without a password (made before accounts) unable to log in', async () => {
    const id = crypto.randomUUID();
    const email = `legacy.${unique()}@example.com`;
    await users.deps.db.query('INSERT INTO users (id, email, name) VALUES ($1, $2, $3)', [id, email, 'Legacy']);
    expect((await login(email, 'any password at all')).status).toBe(401);
  });
});

describe('POST /auth/refresh', () => {
  it('rotates: a new access token and a new cookie, each cookie good once', async () => {
    const ann = await users.customer();
    const first = await refresh(ann.cookie);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const next = refreshCookie(first.headers['set-cookie'])!;
    expect(next.pair).not.toBe(ann.cookie);
    expect((await me(first.body.accessToken)).body.id).toBe(ann.id);
    expect((await refresh(next.pair)).status).toBe(200);
  });

  it('takes a used token again as theft: 401, and the whole login ends, its newest token too', async () => {
    const ann = await users.customer();
    const rotated = refreshCookie((await refresh(ann.cookie)).headers['set-cookie'])!.pair;
    const reused = await refresh(ann.cookie);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('invalid_refresh_token');
    expect((await refresh(rotated)).status).toBe(401);
    // Other logins of the same user go on.
    const again = await users.logIn(ann.email, ann.password);
    expect((await refresh(again.cookie)).status).toBe(200);
  });

  it('answers 401 without a cookie or with one it never issued, and clears it', async () => {
    expect((await refresh()).status).toBe(401);
    const forged = await refresh('refresh_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(401);
    expect(refreshCookie(forged.headers['set-cookie'])?.attributes).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it('lets one replica refresh what another issued, and survives a restart', async () => {
    const ann = await users.customer();
    const replica = users.build();
    const res = await contract.request(replica).post('/auth/refresh').set('cookie', ann.cookie);
    expect(res.status).toBe(200);
    expect((await contract.request(replica).get('/users/me').set(ann.auth)).body.id).toBe(ann.id);
  });
});

describe('POST /auth/logout', () => {
  it('answers 204, clears the cookie and ends the login', async () => {
    const ann = await users.customer();
    const res = await request().post('/auth/logout').set('cookie', ann.cookie);
    expect(res.status).toBe(204);
    expect(refreshCookie(res.headers['set-cookie'])?.attributes).toMatch(/Path=\/api\/auth.*Expires=Thu, 01 Jan 1970/);
    expect((await refresh(ann.cookie)).status).toBe(401);
    // The access token lives on until it expires (at most 15 minutes): verified without a call here.
    expect((await me(ann.accessToken)).status).toBe(200);
    expect((await request().post('/auth/logout')).status).toBe(204);
  });
});

describe('PATCH /users/me with a new password', () => {
  it('limits guesses at the current password as it limits logins: a stolen token is no password oracle', async () => {
    const ann = await users.customer();
    for (let i = 0; i < 10; i += 1) {
      const res = await request().patch('/users/me').set(ann.auth).send({ password: 'a new password!', currentPassword: `guess ${i}` });
      expect(res.status).toBe(403);
    }
    const limited = await request().patch('/users/me').set(ann.auth).send({ password: 'a new password!', currentPassword: ann.password });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('needs the current password, and ends every other login but this one', async () => {
    const ann = await users.customer();
    const phone = await users.logIn(ann.email, ann.password);
    const newPassword = `new-pass-${unique()}`;
    const missing = await request().patch('/users/me').set(ann.auth).send({ password: newPassword });
    expect(missing.status).toBe(400);
    const wrong = await request().patch('/users/me').set(ann.auth).send({ password: newPassword, currentPassword: 'not it at all' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const changed = await request().patch('/users/me').set(ann.auth).send({ password: newPassword, currentPassword: ann.password });
    expect(changed.status).toBe(200);
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect((await refresh(ann.cookie)).status).toBe(200);
    expect((await login(ann.email, ann.password)).status).toBe(401);
    expect((await login(ann.email, newPassword)).status).toBe(200);
  });
});

describe('signing keys', () => {
  it('publishes public keys only, in a JWKS', async () => {
    const res = await request().get('/auth/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('rotates without logging anyone out: the old key stays published until its tokens expire', async () => {
    const ann = await users.customer();
    const served = await listen(users.app);
    try {
      // A verifier such as the gateway's, which fetched the keys before the rotation.
      const gatewayVerifier = createTokenVerifier(remoteKeys(`${served.url}/auth/jwks.json`));
      expect((await gatewayVerifier(ann.accessToken)).userId).toBe(ann.id);
      const oldKid = header(ann.accessToken).kid;
      const { kid } = await rotateSigningKey(users.deps.db);
      expect(kid).not.toBe(oldKid);
      const kids = (await request().get('/auth/jwks.json')).body.keys.map((key: { kid: string }) => key.kid);
      expect(kids).toEqual(expect.arrayContaining([oldKid, kid]));
      // Old tokens still work; new ones are signed with the new key, and verifiers fetch it.
      expect((await me(ann.accessToken)).status).toBe(200);
      const renewed = await refresh(ann.cookie);
      expect(header(renewed.body.accessToken).kid).toBe(kid);
      expect((await gatewayVerifier(renewed.body.accessToken)).userId).toBe(ann.id);
      // Once the last token of the old key has expired, it is no longer published.
      await users.deps.db.query("UPDATE signing_keys SET retired_at = now() - interval '1 hour' WHERE kid = $1", [oldKid]);
      const later = (await request().get('/auth/jwks.json')).body.keys.map((key: { kid: string }) => key.kid);
      expect(later).not.toContain(oldKid);
      expect(later).toContain(kid);
    } finally {
      await served.close();
    }
  });

  it('signs with the key given as SIGNING_KEY (a PEM file) when there is one', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const pem = await exportPKCS8(privateKey);
    await prepareAccounts(users.deps, { signingKeyPem: pem });
    const ann = await users.customer();
    const jwks = (await request().get('/auth/jwks.json')).body;
    const verify = createTokenVerifier(localKeys({ keys: jwks.keys.filter((key: { kid: string }) => key.kid === header(ann.accessToken).kid) }));
    expect((await verify(ann.accessToken)).userId).toBe(ann.id);
    // Given again at the next start, the same key stays: nobody's token changes key.
    await prepareAccounts(users.deps, { signingKeyPem: pem });
    expect(header((await users.customer()).accessToken).kid).toBe(header(ann.accessToken).kid);
  });
});

describe('the admin made at start (ADMIN_EMAIL, ADMIN_PASSWORD)', () => {
  it('exists from the first start, as an admin', async () => {
    const admin = await users.admin();
    expect((await me(admin.accessToken)).body).toMatchObject({ email: TEST_ADMIN.email, role: 'admin' });
  });

  it('takes a changed password at the next start, and promotes an existing account', async () => {
    const { email, password } = await users.signUp('Promoted');
    const before = await users.logIn(email, password);
    await prepareAccounts(users.deps, { admin: { email, password: 'the admin password from .env' } });
    try {
      expect((await login(email, password)).status).toBe(401);
      const promoted = await login(email, 'the admin password from .env');
      expect((await me(promoted.body.accessToken)).body.role).toBe('admin');
      // Its logins from before the promotion end: none can be refreshed into an admin token.
      expect((await refresh(before.cookie)).status).toBe(401);
    } finally {
      await prepareAccounts(users.deps, { admin: TEST_ADMIN });
    }
  });

  it('keeps one admin: the one ADMIN_EMAIL names; the previous one becomes a customer and is logged out', async () => {
    const previous = await users.admin();
    const { email } = await users.signUp('NewAdmin');
    await prepareAccounts(users.deps, { admin: { email, password: 'the new admin password' } });
    try {
      expect((await refresh(previous.cookie)).status).toBe(401);
      const demoted = await login(TEST_ADMIN.email, TEST_ADMIN.password);
      expect((await me(demoted.body.accessToken)).body.role).toBe('customer');
      const newAdmin = await login(email, 'the new admin password');
      expect((await me(newAdmin.body.accessToken)).body.role).toBe('admin');
    } finally {
      // As the file found it: the test admin is the admin.
      await prepareAccounts(users.deps, { admin: TEST_ADMIN });
    }
    expect((await me((await users.admin()).accessToken)).body.role).toBe('admin');
  });
});
