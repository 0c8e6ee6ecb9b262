import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { generateSigningKey, signAccessToken } from '@shopstack/auth';
import { listen, type Account, type Listening } from '@shopstack/testing';
import { useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();
const { request } = ctx;

type Who = 'anonymous' | 'customer' | 'another customer' | 'admin';
let accounts: Record<Exclude<Who, 'anonymous'>, Account>;
let productId: string;
/** An order of `customer`'s. */
let orderId: string;

beforeAll(async () => {
  const { shop } = ctx.fixture;
  const [customer, another, admin] = await Promise.all([shop.customer(), shop.customer(), shop.admin()]);
  accounts = { customer, 'another customer': another, admin };
  productId = await ctx.newProduct(1000);
  orderId = (await request(ctx.gateway).post('/api/orders').set(customer.auth).send({ items: [{ productId, quantity: 1 }] })).body.id;
});

const as = (who: Who) => (who === 'anonymous' ? {} : accounts[who].auth);
const signUp = () => ({ email: `${uuidv7()}@example.com`, name: 'Una', password: 'a long enough password' });

// Every route through the gateway, for each kind of caller: the status, and the error code
// when refused. `customer` owns the order and is the user read by id.
const CASES: Array<[route: string, send: (who: Who) => PromiseLike<{ status: number; body: { error?: { code: string } } }>, answers: [number, string?][]]> = [
  ['GET /api/products', (who) => request(ctx.gateway).get('/api/products').set(as(who)), [[200], [200], [200], [200]]],
  ['GET /api/products/:id', (who) => request(ctx.gateway).get(`/api/products/${productId}`).set(as(who)), [[200], [200], [200], [200]]],
  [
    'POST /api/products',
    (who) => request(ctx.gateway).post('/api/products').set(as(who)).send({ name: 'Lamp', priceCents: 100, stock: 1 }),
    [[401, 'unauthorized'], [403, 'forbidden'], [403, 'forbidden'], [201]],
  ],
  [
    'PATCH /api/products/:id',
    (who) => request(ctx.gateway).patch(`/api/products/${productId}`).set(as(who)).send({ stock: 1000 }),
    [[401, 'unauthorized'], [403, 'forbidden'], [403, 'forbidden'], [200]],
  ],
  ['POST /api/users', (who) => request(ctx.gateway).post('/api/users').set(as(who)).send(signUp()), [[201], [201], [201], [201]]],
  ['GET /api/users', (who) => request(ctx.gateway).get('/api/users').set(as(who)), [[401, 'unauthorized'], [403, 'forbidden'], [403, 'forbidden'], [200]]],
  ['GET /api/users/me', (who) => request(ctx.gateway).get('/api/users/me').set(as(who)), [[401, 'unauthorized'], [200], [200], [200]]],
  [
    'GET /api/users/:id',
    (who) => request(ctx.gateway).get(`/api/users/${accounts.customer.id}`).set(as(who)),
    [[401, 'unauthorized'], [200], [404, 'not_found'], [200]],
  ],
  [
    'POST /api/orders',
    (who) => request(ctx.gateway).post('/api/orders').set(as(who)).send({ items: [{ productId, quantity: 1 }] }),
    [[401, 'unauthorized'], [201], [201], [201]],
  ],
  [
    'POST /api/orders for the customer',
    (who) => request(ctx.gateway).post('/api/orders').set(as(who)).send({ userId: accounts.customer.id, items: [{ productId, quantity: 1 }] }),
    [[401, 'unauthorized'], [201], [403, 'forbidden'], [403, 'forbidden']],
  ],
  [
    'GET /api/orders?userId=',
    (who) => request(ctx.gateway).get(`/api/orders?userId=${accounts.customer.id}`).set(as(who)),
    [[401, 'unauthorized'], [200], [403, 'forbidden'], [200]],
  ],
  ['GET /api/orders/:id', (who) => request(ctx.gateway).get(`/api/orders/${orderId}`).set(as(who)), [[401, 'unauthorized'], [200], [404, 'not_found'], [200]]],
  ['GET /api/status', (who) => request(ctx.gateway).get('/api/status').set(as(who)), [[200], [200], [200], [200]]],
  // Admins only; no Prometheus behind this gateway, so the admin, let through, gets its 503.
  [
    'GET /api/monitoring/overview',
    (who) => request(ctx.gateway).get('/api/monitoring/overview').set(as(who)),
    [[401, 'unauthorized'], [403, 'forbidden'], [403, 'forbidden'], [503, 'monitoring_unavailable']],
  ],
  ['GET /api/auth/jwks.json', (who) => request(ctx.gateway).get('/api/auth/jwks.json').set(as(who)), [[200], [200], [200], [200]]],
];

describe('who may call what, through the gateway', () => {
  const WHO: Who[] = ['anonymous', 'customer', 'another customer', 'admin'];
  const rows = CASES.flatMap(([route, send, answers]) => WHO.map((who, i) => ({ route, send, who, status: answers[i]![0], code: answers[i]![1] })));
  it.each(rows)('$route as $who: $status $code', async ({ send, who, status, code }) => {
    const res = await send(who);
    expect(res.status).toBe(status);
    if (code) expect(res.body.error?.code).toBe(code);
  });
});

describe('the gateway authenticates', () => {
  it('refuses an anonymous request to a signed-in route with 401 and WWW-Authenticate, before any service sees it', async () => {
    const requestId = `anonymous-${uuidv7()}`;
    const res = await request(ctx.gateway).post('/api/orders').set('X-Request-ID', requestId).send({ items: [{ productId, quantity: 1 }] });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="shopstack"');
    expect(ctx.fixture.logs.orders.lines().some((line) => line.requestId === requestId)).toBe(false);
  });

  it('refuses a token signed by another key (401 invalid_token) on any route, before any service sees it', async () => {
    const { accessToken } = await signAccessToken(await generateSigningKey(), { userId: accounts.admin.id, role: 'admin' });
    for (const path of ['/api/users', '/api/products', '/api/status']) {
      const requestId = `forged-${uuidv7()}`;
      const res = await request(ctx.gateway).get(path).set('Authorization', `Bearer ${accessToken}`).set('X-Request-ID', requestId);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="shopstack", error="invalid_token"');
      for (const service of ['users', 'products'] as const) {
        expect(ctx.fixture.logs[service].lines().some((line) => line.requestId === requestId)).toBe(false);
      }
    }
  });

  it('makes no caller of identity headers a client sends', async () => {
    const claims = { 'X-User-Id': accounts.admin.id, 'X-User-Role': 'admin', 'X-Forwarded-User': 'admin' };
    const anonymous = await request(ctx.gateway).get('/api/users').set(claims);
    expect(anonymous.status).toBe(401);
    const customer = await request(ctx.gateway).get('/api/users').set(accounts.customer.auth).set(claims);
    expect(customer.status).toBe(403);
    const others = await request(ctx.gateway).get(`/api/orders?userId=${accounts.customer.id}`).set(accounts['another customer'].auth).set('X-User-Id', accounts.customer.id);
    expect(others.status).toBe(403);
  });

  it('shows anyone but an admin whether the shop is healthy, and nothing of its inside', async () => {
    for (const who of ['anonymous', 'customer'] as const) {
      const res = await request(ctx.gateway).get('/api/status').set(as(who));
      expect(res.body).toEqual({ status: expect.stringMatching(/^(ok|degraded)$/) });
    }
    const full = await request(ctx.gateway).get('/api/status').set(as('admin'));
    expect(Object.keys(full.body).sort()).toEqual(['gateway', 'redis', 'services', 'status']);
    expect(full.body.services.users.ready).toBe(true);
  });
});

describe('verifying without calling users', () => {
  let jwksProxy: Server;
  let jwksFetches = 0;

  // In front of users' JWKS, counting what the gateway fetches.
  beforeAll(async () => {
    jwksProxy = createServer((_req, res) => {
      jwksFetches += 1;
      void fetch(`${ctx.fixture.shop.url('users')}/auth/jwks.json`).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => jwksProxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => jwksProxy.close(() => resolve())));

  it('fetches the keys once for many requests of many callers', async () => {
    const { port } = jwksProxy.address() as AddressInfo;
    const gateway = ctx.fixture.startGateway({ verifyToken: ctx.fixture.verifierFor(`http://127.0.0.1:${port}/jwks.json`) });
    const callers = [accounts.customer, accounts['another customer'], accounts.admin];
    for (let i = 0; i < 30; i += 1) {
      const res = await request(gateway).get('/api/orders?limit=1').set(callers[i % callers.length]!.auth);
      expect(res.status).toBe(200);
    }
    expect(jwksFetches).toBe(1);
  });
});

describe('what the services receive', () => {
  type Service = 'users' | 'products' | 'orders';
  const SERVICES: Service[] = ['users', 'products', 'orders'];
  const recorders: Listening[] = [];
  /** The headers of each request the gateway sent, by its X-Request-ID. */
  const received = new Map<string, IncomingHttpHeaders>();
  let gateway: Express;

  // In front of each service, passing every request on as it came and noting its headers.
  beforeAll(async () => {
    const urls: Partial<Record<Service, string>> = {};
    for (const service of SERVICES) {
      const target = new URL(ctx.fixture.shop.url(service));
      const recorder = await listen((req, res) => {
        received.set(String(req.headers['x-request-id']), req.headers);
        const onward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        });
        req.pipe(onward);
      });
      recorders.push(recorder);
      urls[service] = recorder.url;
    }
    gateway = ctx.fixture.startGateway({ urls });
  });
  afterAll(() => Promise.all(recorders.map((recorder) => recorder.close())));

  // What a client might hope a service trusts: who it is, its role, and paths or methods
  // that some proxies let a header override.
  const FORGED = {
    'X-User-Id': '',
    'X-User-Role': 'admin',
    'X-Forwarded-User': '',
    'X-Auth-User': '',
    'X-Remote-User': '',
    'X-Roles': 'admin',
    'X-Original-URL': '/users',
    'X-Rewrite-URL': '/users',
    'X-HTTP-Method-Override': 'DELETE',
  };

  it.each<[Service, string]>([
    ['users', '/api/users/me'],
    ['products', '/api/products?limit=1'],
    ['orders', '/api/orders?limit=1'],
  ])('%s gets no identity header a client forged on %s, and the caller’s own token', async (service, path) => {
    const requestId = `forged-${uuidv7()}`;
    const forged = Object.fromEntries(Object.entries(FORGED).map(([name, value]) => [name, value || accounts.admin.id]));
    const res = await request(gateway).get(path).set(accounts.customer.auth).set(forged).set('X-Request-ID', requestId);
    expect(res.status).toBe(200);
    const headers = received.get(requestId);
    expect(headers, `${service} saw the request`).toBeDefined();
    for (const name of Object.keys(FORGED)) expect(headers, name).not.toHaveProperty(name.toLowerCase());
    // The caller is the token's, passed on as it came; and the admin's id and role are
    // nowhere else in what was sent on, under any name.
    const { authorization, ...rest } = headers!;
    expect(authorization).toBe(accounts.customer.auth.authorization);
    expect(Object.values(rest).join('\n')).not.toMatch(new RegExp(`${accounts.admin.id}|admin`, 'i'));
    if (service === 'users') expect(res.body.id).toBe(accounts.customer.id);
  });
});
