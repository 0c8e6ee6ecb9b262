import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { Account } from '@shopstack/testing';
import { refreshCookie, unique, useUsers } from './users-fixture.js';

// What a hostile or a sloppy client sends to the account routes: each refused with the
// status and code it should get, never a 500, and nothing changed by it.
const started = useUsers('users_auth_input');

const request = () => started().request();
const login = (body: unknown, address: string) => request().post('/auth/login').set('x-forwarded-for', address).send(body as object);
const refresh = (cookie?: string) => (cookie === undefined ? request().post('/auth/refresh') : request().post('/auth/refresh').set('cookie', cookie));
const logout = (cookie?: string) => (cookie === undefined ? request().post('/auth/logout') : request().post('/auth/logout').set('cookie', cookie));
const cleared = (setCookie: string[] | string | undefined) => refreshCookie(setCookie)?.attributes.includes('Expires=Thu, 01 Jan 1970') ?? false;

/** The one error shape, and no session handed out with it. */
function expectRefused(res: { status: number; body: unknown; headers: Record<string, unknown> }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: { code, message: expect.any(String), requestId: expect.any(String), ...(status === 400 && code === 'validation_failed' ? { details: expect.any(Array) } : {}) } });
  expect(refreshCookie(res.headers['set-cookie'] as string[] | undefined)?.pair ?? 'refresh_token=').toBe('refresh_token=');
}

describe('POST /auth/login with odd input', () => {
  // Emails are stored lower-cased and trimmed; a login finds them however they are typed.
  it.each([
    ['the address in another case', (local: string) => `${local.toLowerCase()}@EXAMPLE.com`],
    ['the address all in capitals', (local: string) => `${local.toUpperCase()}@EXAMPLE.COM`],
    ['the address with spaces around it', (local: string) => `  ${local}@Example.com `],
  ])('logs in with %s (200)', async (_case, typed) => {
    const local = `Eve.${unique()}`;
    const password = `pass-${unique()}`;
    expect((await request().post('/users').send({ email: `${local}@Example.com`, name: 'Eve', password })).status).toBe(201);
    const res = await login({ email: typed(local), password }, '203.0.113.10');
    expect(res.status).toBe(200);
    expect(refreshCookie(res.headers['set-cookie'])?.pair).toMatch(/^refresh_token=.{43}$/);
  });

  it('counts failures per email whatever its case: another spelling buys no more guesses', async () => {
    const { email, password } = await started().signUp('Case');
    const spellings = [email, email.toUpperCase(), ` ${email}`, email.replace('@example.com', '@EXAMPLE.com')];
    for (let i = 0; i < 10; i += 1) {
      expectRefused(await login({ email: spellings[i % spellings.length], password: 'wrong password!!' }, `203.0.113.${20 + i}`), 401, 'invalid_credentials');
    }
    expectRefused(await login({ email, password }, '203.0.113.40'), 429, 'too_many_attempts');
  });

  it('checks a 200-character password like any other: 401, counted towards the limit', async () => {
    const { email, password } = await started().signUp('Long');
    for (let i = 0; i < 10; i += 1) {
      expectRefused(await login({ email, password: `${i}`.padEnd(200, 'x') }, `203.0.113.${50 + i}`), 401, 'invalid_credentials');
    }
    expectRefused(await login({ email, password }, '203.0.113.70'), 429, 'too_many_attempts');
  });

  it('refuses a password over 1024 characters with a 400 before any check: no attempt counted', async () => {
    const { email, password } = await started().signUp('Huge');
    for (let i = 0; i < 11; i += 1) {
      const res = await login({ email, password: 'x'.repeat(1025 + i * 500) }, '203.0.113.80');
      expectRefused(res, 400, 'validation_failed');
      expect(res.body.error.details).toEqual([{ field: 'password', message: 'must be at most 1024 characters' }]);
    }
    // Past the 10 kB a login body may weigh, the body is not even read.
    expectRefused(await login({ email, password: 'x'.repeat(20_000) }, '203.0.113.80'), 413, 'payload_too_large');
    expect((await login({ email, password }, '203.0.113.80')).status).toBe(200);
  });

  // [what is sent, code, the problems listed, the raw JSON text (undefined: no body)]
  it.each<[string, string, Array<{ field: string; message: string }> | undefined, string | undefined]>([
    ['an array', 'validation_failed', [{ field: '(body)', message: 'Invalid input: expected object, received array' }], '[]'],
    ['a string', 'invalid_json', undefined, '"x"'],
    ['null', 'invalid_json', undefined, 'null'],
    ['a number', 'invalid_json', undefined, '42'],
    ['no body at all', 'validation_failed', [{ field: '(body)', message: 'is required' }], undefined],
    ['an empty object', 'validation_failed', [{ field: 'email', message: 'is required' }, { field: 'password', message: 'is required' }], '{}'],
    ['an email that is a number', 'validation_failed', [{ field: 'email', message: 'must be a string' }], '{"email": 42, "password": "a password"}'],
    ['an email that is an object (a NoSQL operator)', 'validation_failed', [{ field: 'email', message: 'must be a string' }], '{"email": {"$ne": ""}, "password": "a password"}'],
    ['an email that is a list', 'validation_failed', [{ field: 'email', message: 'must be a string' }], '{"email": ["eve@example.com"], "password": "a password"}'],
    ['a password that is true', 'validation_failed', [{ field: 'password', message: 'must be a string' }], '{"email": "eve@example.com", "password": true}'],
    ['an email over 254 characters', 'validation_failed', [{ field: 'email', message: 'must be at most 254 characters' }], JSON.stringify({ email: `${'e'.repeat(250)}@example.com`, password: 'a password' })],
    ['a role beside the credentials', 'validation_failed', [{ field: 'role', message: 'is not allowed' }], '{"email": "eve@example.com", "password": "a password", "role": "admin"}'],
  ])('answers %s with a 400 %s', async (_case, code, details, json) => {
    const send = request().post('/auth/login').set('x-forwarded-for', '203.0.113.90');
    const res = json === undefined ? await send : await send.set('content-type', 'application/json').send(json);
    expectRefused(res, 400, code);
    expect(res.body.error.details).toEqual(details);
  });
});

describe('PATCH /users/me with what it must not take', () => {
  const NEW_PASSWORD = 'a brand new password';
  // [what is sent, status, code, the problems listed, the raw JSON body]
  it.each<[string, number, string, Array<{ field: string; message: string }> | undefined, string]>([
    ['a role, with a name', 400, 'validation_failed', [{ field: 'role', message: 'is not allowed' }], '{"name": "Mallory", "role": "admin"}'],
    ['a role alone', 400, 'validation_failed', [{ field: 'role', message: 'is not allowed' }, { field: '(body)', message: 'must change the name or the password' }], '{"role": "admin"}'],
    ['an email, with a name', 400, 'validation_failed', [{ field: 'email', message: 'is not allowed' }], '{"name": "Mallory", "email": "mallory@example.com"}'],
    ['another id, with a name', 400, 'validation_failed', [{ field: 'id', message: 'is not allowed' }], '{"name": "Mallory", "id": "0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11"}'],
    ['a role under __proto__, with a name', 400, 'validation_failed', [{ field: '__proto__', message: 'is not allowed' }], '{"name": "Mallory", "__proto__": {"role": "admin"}}'],
    ['nothing to change', 400, 'validation_failed', [{ field: '(body)', message: 'must change the name or the password' }], '{}'],
    ['a new password without the current one', 400, 'validation_failed', [{ field: 'currentPassword', message: 'is required to set a new password' }], `{"password": "${NEW_PASSWORD}"}`],
    ['a new password with a current one that is null', 400, 'validation_failed', [{ field: 'currentPassword', message: 'must be a string' }], `{"password": "${NEW_PASSWORD}", "currentPassword": null}`],
    ['a new password with an empty current one', 403, 'invalid_credentials', undefined, `{"password": "${NEW_PASSWORD}", "currentPassword": ""}`],
  ])('refuses %s: %i %s, and changes nothing', async (_case, status, code, details, json) => {
    const users = started();
    const eve: Account = await users.customer('Eve');
    const before = (await request().get('/users/me').set(eve.auth)).body;
    const res = await request().patch('/users/me').set(eve.auth).set('content-type', 'application/json').send(json);
    expectRefused(res, status, code);
    expect(res.body.error.details).toEqual(details);
    // Name, email and role as they were, from the database and not a cached copy.
    const { rows } = await users.deps.db.query('SELECT email, name, role FROM users WHERE id = $1', [eve.id]);
    expect(rows[0]).toEqual({ email: before.email, name: before.name, role: 'customer' });
    expect((await request().get('/users/me').set(eve.auth)).body).toEqual(before);
    // The old password still logs in, to a customer's token; the new one does not.
    const again = await login({ email: eve.email, password: eve.password }, '203.0.113.100');
    expect(again.status).toBe(200);
    expect(decodeJwt(again.body.accessToken).role).toBe('customer');
    expect((await login({ email: eve.email, password: NEW_PASSWORD }, '203.0.113.100')).status).toBe(401);
  });
});

describe('POST /auth/refresh and /auth/logout with a cookie they did not issue', () => {
  /** A customer with a live login, and the refresh cookie of another login of theirs that has logged out. */
  async function customerWithEndedLogin() {
    const users = started();
    const live = await users.customer('Ray');
    const ended = await users.logIn(live.email, live.password);
    expect((await logout(ended.cookie)).status).toBe(204);
    return { live, ended };
  }

  // [the Cookie header sent, from a live login and an ended one]
  const cookies: Array<[string, (live: Account, ended: Account) => string]> = [
    ['garbage', () => 'refresh_token=garbage'],
    ['broken percent-encoding', () => 'refresh_token=%E0%A4%A'],
    ['a 4000-character value', () => `refresh_token=${'A'.repeat(4000)}`],
    ['an empty value', () => 'refresh_token='],
    ['other cookies only', () => 'session=abc; theme=dark'],
    ['two refresh_token cookies', () => 'refresh_token=one; refresh_token=two'],
    // The first refresh_token of the header is the one read: the live one behind it is neither used nor ended.
    ['garbage before a live one', (live) => `refresh_token=garbage; ${live.cookie}`],
    ['the token of a login that has logged out', (_live, ended) => ended.cookie],
  ];

  it.each(cookies)('refresh with %s: 401 invalid_refresh_token, the cookie cleared, the live login untouched', async (_case, cookie) => {
    const { live, ended } = await customerWithEndedLogin();
    const res = await refresh(cookie(live, ended));
    expectRefused(res, 401, 'invalid_refresh_token');
    expect(cleared(res.headers['set-cookie'])).toBe(true);
    expect((await refresh(live.cookie)).status).toBe(200);
  });

  it.each<[string, (live: Account, ended: Account) => string | undefined]>([['no cookie', () => undefined], ...cookies])(
    'logout with %s: 204, the cookie cleared, the live login untouched',
    async (_case, cookie) => {
      const { live, ended } = await customerWithEndedLogin();
      const res = await logout(cookie(live, ended));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(cleared(res.headers['set-cookie'])).toBe(true);
      expect((await refresh(live.cookie)).status).toBe(200);
    },
  );
});
