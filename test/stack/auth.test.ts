import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearer, refreshCookieOf, unique, type Account } from '../shop.js';
import { admin, api, asAdmin, createProduct, customer, login, nginxPort, placeOrder } from './stack.js';

// Accounts, tokens and roles through nginx, as a client sees them (issue 18). Every test
// makes its own customers and products; none touches the admin's own login.

/** The attributes of a Set-Cookie line, lower-cased names: `{ path: '/api/auth', httponly: '' }`. */
function attributesOf(setCookie: string): Record<string, string> {
  return Object.fromEntries(
    setCookie
      .split(';')
      .slice(1)
      .map((part) => {
        const [name = '', ...value] = part.trim().split('=');
        return [name.toLowerCase(), value.join('=')];
      }),
  );
}

const refreshCookieLine = (res: { headers: Headers }) => res.headers.getSetCookie().find((line) => line.startsWith('refresh_token='));

const refresh = (cookie: string | undefined, headers: Record<string, string> = {}) =>
  api('/api/auth/refresh', { method: 'POST', headers: { ...(cookie ? { cookie } : {}), ...headers } });

/** A JWT's payload, and the token rebuilt with another header and payload (the signature kept, or none). */
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function expectUnauthenticated(res: { status: number; headers: Headers; body: { error: { code: string } } }, code = 'unauthorized') {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
}

describe('accounts and logins', () => {
  it('signs a customer up without ever showing the password, and logs in with a refresh cookie only /api/auth receives, out of scripts’ reach', async () => {
    const email = `auth.${unique()}@example.com`;
    const password = `a long password ${randomUUID()}`;
    const signedUp = await api('/api/users', { method: 'POST', json: { email, name: 'Ada', password } });
    expect(signedUp.status).toBe(201);
    expect(Object.keys(signedUp.body).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role']);
    expect(signedUp.body.role).toBe('customer');
    expect(signedUp.text).not.toContain(password);

    const loggedIn = await api('/api/auth/login', { method: 'POST', json: { email, password } });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect(loggedIn.body.expiresIn).toBeGreaterThan(0);
    expect(loggedIn.body.expiresIn).toBeLessThanOrEqual(900);
    const cookie = refreshCookieLine(loggedIn);
    expect(cookie, loggedIn.headers.getSetCookie().join('\n')).toBeDefined();
    const attributes = attributesOf(cookie!);
    expect(attributes).toHaveProperty('httponly');
    expect(attributes['samesite']?.toLowerCase()).toBe('strict');
    expect(attributes['path']).toBe('/api/auth');
    expect(Number(attributes['max-age'])).toBeGreaterThan(900);

    const me = await api('/api/users/me', { headers: bearer(loggedIn.body.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(signedUp.body);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const { email } = await customer();
    const wrong = await api('/api/auth/login', { method: 'POST', json: { email, password: 'not the password at all' } });
    const unknown = await api('/api/auth/login', { method: 'POST', json: { email: `nobody.${unique()}@example.com`, password: 'not the password at all' } });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
      expect(refreshCookieOf(res)).toBeUndefined();
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });
});

describe('orders belong to their customer', () => {
  it('places an order for the caller; another customer gets a 404 on it and a 403 on its owner’s list; the admin reads both', async () => {
    const [ada, bob] = await Promise.all([customer(), customer()]);
    const product = await createProduct(10, 1200);
    const order = await placeOrder(ada, product.id, 2);
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ userId: ada.id, totalCents: 2400 });
    expect((await api(`/api/orders/${order.body.id}`, { headers: ada.auth })).body).toEqual(order.body);

    // Never a 403 that would confirm the order exists.
    const peek = await api(`/api/orders/${order.body.id}`, { headers: bob.auth });
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe('not_found');
    const list = await api(`/api/orders?userId=${ada.id}`, { headers: bob.auth });
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('forbidden');
    expect((await api('/api/orders', { headers: bob.auth })).body.items).toEqual([]);

    // Nor can Bob order in Ada's name: the body's userId must be the caller's.
    const inHerName = await api('/api/orders', { method: 'POST', headers: bob.auth, json: { userId: ada.id, items: [{ productId: product.id, quantity: 1 }] } });
    expect(inHerName.status).toBe(403);
    expect(inHerName.body.error.code).toBe('forbidden');
    const own = await api('/api/orders', { method: 'POST', headers: bob.auth, json: { userId: bob.id, items: [{ productId: product.id, quantity: 1 }] } });
    expect(own.status).toBe(201);
    expect(own.body.userId).toBe(bob.id);

    expect((await asAdmin(`/api/orders/${order.body.id}`)).body).toEqual(order.body);
    expect((await asAdmin(`/api/orders?userId=${ada.id}`)).body.items.map((o: { id: string }) => o.id)).toEqual([order.body.id]);
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(7);
  });

  it('keeps an Idempotency-Key to its caller: two customers sending the same one get two orders', async () => {
    const [ada, bob] = await Promise.all([customer(), customer()]);
    const product = await createProduct(10);
    const key = { 'Idempotency-Key': randomUUID() };
    const [first, second] = [await placeOrder(ada, product.id, 1, { headers: key }), await placeOrder(bob, product.id, 1, { headers: key })];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
    expect([first.body.userId, second.body.userId]).toEqual([ada.id, bob.id]);
    // The same caller again with the key: the order it placed, not a second one.
    expect((await placeOrder(ada, product.id, 1, { headers: key })).body).toEqual(first.body);
    expect((await api(`/api/products/${product.id}`)).body.stock).toBe(8);
  });
});

describe('who may call what', () => {
  it('refuses an anonymous caller wherever a token is needed, with WWW-Authenticate: Bearer; products and the keys stay public', async () => {
    const product = await createProduct(5);
    const anonymous = [
      api('/api/orders', { method: 'POST', json: { items: [{ productId: product.id, quantity: 1 }] } }),
      api(`/api/orders?userId=${randomUUID()}`),
      api('/api/users?limit=1'),
      api('/api/users/me'),
      api('/api/products', { method: 'POST', json: { name: 'Free', priceCents: 0, stock: 1 } }),
      api(`/api/products/${product.id}`, { method: 'PATCH', json: { priceCents: 0 } }),
    ];
    for (const res of await Promise.all(anonymous)) expectUnauthenticated(res);
    expect((await api(`/api/products/${product.id}`)).body).toMatchObject({ stock: 5, priceCents: 1500 });

    expect((await api('/api/products?limit=1')).status).toBe(200);
    const jwks = await api('/api/auth/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys as Array<Record<string, unknown>>) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('keeps a customer from the admin’s work: no product made or changed, no user list, no other user', async () => {
    const [ada, bob] = await Promise.all([customer(), customer()]);
    const product = await createProduct(5, 999);
    const refused = [
      api('/api/products', { method: 'POST', headers: ada.auth, json: { name: 'Mine', priceCents: 1, stock: 1 } }),
      api(`/api/products/${product.id}`, { method: 'PATCH', headers: ada.auth, json: { priceCents: 0, stock: 1_000_000 } }),
      api('/api/users?limit=100', { headers: ada.auth }),
    ];
    for (const res of await Promise.all(refused)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api(`/api/products/${product.id}`)).body).toMatchObject({ stock: 5, priceCents: 999 });
    const other = await api(`/api/users/${bob.id}`, { headers: ada.auth });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    expect((await api(`/api/users/${ada.id}`, { headers: ada.auth })).body).toMatchObject({ id: ada.id, role: 'customer' });

    // The admin may do all of it.
    const listed = await asAdmin('/api/users?limit=1');
    expect(listed.status).toBe(200);
    expect((await asAdmin(`/api/users/${bob.id}`)).body).toMatchObject({ id: bob.id, email: bob.email });
    expect((await asAdmin(`/api/products/${product.id}`, { method: 'PATCH', json: { priceCents: 1000 } })).body.priceCents).toBe(1000);
  });

  it('shows anonymous callers and customers only whether the API is up; the admin the whole status', async () => {
    const ada = await customer();
    for (const res of [await api('/api/status'), await api('/api/status', { headers: ada.auth })]) {
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['status']);
    }
    const full = await asAdmin('/api/status');
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ status: expect.any(String), redis: 'up' });
    expect(Object.keys(full.body.services).sort()).toEqual(['orders', 'products', 'users']);
  });
});

describe('refresh and logout', () => {
  it('rotates the refresh token; the old one used again is a 401 that revokes the whole login', async () => {
    const ada = await customer();
    const rotated = await refresh(ada.cookie);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: expect.any(Number) });
    const next = refreshCookieOf(rotated);
    expect(next).toBeDefined();
    expect(next).not.toBe(ada.cookie);
    expect(attributesOf(refreshCookieLine(rotated)!)).toMatchObject({ path: '/api/auth', httponly: '' });
    expect((await api('/api/users/me', { headers: bearer(rotated.body.accessToken) })).body.id).toBe(ada.id);

    const reused = await refresh(ada.cookie);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('invalid_refresh_token');
    // The token it had been rotated into dies with it: whoever replayed the old one gets nothing.
    const afterReuse = await refresh(next);
    expect(afterReuse.status).toBe(401);
    expect(afterReuse.body.error.code).toBe('invalid_refresh_token');

    // Another login of the same customer is not affected.
    const again = await login(ada);
    expect((await refresh(again.cookie)).status).toBe(200);
    const none = await refresh(undefined);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('invalid_refresh_token');
  });

  it('takes the cookie from the console’s own origin, and from no other site', async () => {
    const ada = await customer();
    const origin = `http://127.0.0.1:${await nginxPort()}`;
    const otherSites: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://evil.example' }];
    for (const headers of otherSites) {
      const refused = await refresh(ada.cookie, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect(refreshCookieOf(refused)).toBeUndefined();
    }
    // Refused before it was used: the cookie still works, sent as the console's page sends it.
    const fromConsole = await refresh(ada.cookie, { origin, 'sec-fetch-site': 'same-origin' });
    expect(fromConsole.status, fromConsole.text).toBe(200);
    const loggedOut = await api('/api/auth/logout', { method: 'POST', headers: { cookie: refreshCookieOf(fromConsole)!, 'sec-fetch-site': 'cross-site' } });
    expect(loggedOut.status).toBe(403);
  });

  it('logs out with a 204 that clears the cookie; the cookie is no use after', async () => {
    const ada = await customer();
    const loggedOut = await api('/api/auth/logout', { method: 'POST', headers: { cookie: ada.cookie } });
    expect(loggedOut.status).toBe(204);
    const cleared = refreshCookieLine(loggedOut);
    expect(cleared, loggedOut.headers.getSetCookie().join('\n')).toMatch(/^refresh_token=;/);
    const attributes = attributesOf(cleared!);
    expect(attributes['path']).toBe('/api/auth');
    const expired = attributes['max-age'] === '0' || Date.parse(attributes['expires'] ?? '') <= Date.now();
    expect(expired, cleared).toBe(true);
    const after = await refresh(ada.cookie);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid_refresh_token');
    // Logging out with no cookie at all is not an error.
    expect((await api('/api/auth/logout', { method: 'POST' })).status).toBe(204);
  });
});

describe('forged tokens', () => {
  /** The customer's token with its payload's role made admin: kept signature, or `alg: none` and none. */
  function forged(account: Account): Record<string, string> {
    const [header = '', payload = '', signature = ''] = account.accessToken.split('.');
    const promoted = encode({ ...decode(payload), role: 'admin' });
    return {
      'tampered role': `${header}.${promoted}.${signature}`,
      'alg none': `${encode({ ...decode(header), alg: 'none' })}.${promoted}.`,
      'alg none, unchanged payload': `${encode({ ...decode(header), alg: 'none' })}.${payload}.`,
      'another signature': `${header}.${payload}.${Buffer.from(signature, 'base64url').reverse().toString('base64url')}`,
      garbage: 'not-a-token',
    };
  }

  it('refuses a token whose role was changed, one with alg none, and garbage, with a 401 invalid_token', async () => {
    const ada = await customer();
    const { id: adminId } = await admin();
    expect(decode(ada.accessToken.split('.')[1]!)).toMatchObject({ sub: ada.id, role: 'customer' });
    for (const [name, token] of Object.entries(forged(ada))) {
      for (const path of ['/api/users?limit=1', `/api/users/${adminId}`, '/api/users/me', '/api/products?limit=1']) {
        const res = await api(path, { headers: bearer(token) });
        expect(res.status, `${name} on ${path}`).toBe(401);
        expect(res.body.error.code, `${name} on ${path}`).toBe('invalid_token');
        expect(res.headers.get('www-authenticate'), `${name} on ${path}`).toMatch(/^Bearer .*error="invalid_token"/);
      }
    }
    // The genuine token still works: only forgeries were refused.
    expect((await api('/api/users/me', { headers: ada.auth })).body.role).toBe('customer');
  });
});
