import { beforeAll, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { generateSigningKey, serviceTokenSource, signAccessToken, type SigningKey } from '@shopstack/auth';
import { useProductsApp } from './products-fixture.js';

const products = useProductsApp('products_access');
const request = products.request;

type Who = 'anonymous' | 'customer' | 'admin';
let headers: Record<Who, Record<string, string>>;
let productId: string;

beforeAll(async () => {
  headers = { anonymous: {}, customer: await products.signedIn('customer'), admin: await products.signedIn('admin') };
  const made = await request(products.app).post('/products').set(headers.admin).send({ name: 'Kettle', priceCents: 2500, stock: 9 });
  productId = made.body.id;
});

const send = (who: Who, method: 'get' | 'post' | 'patch', path: string, body?: object) => {
  const req = request(products.app)[method](path.replace(':id', productId)).set(headers[who]);
  return body ? req.send(body) : req;
};

// Who may do what, route by route: the status, and the error code when refused. Products
// has no owner, so a second customer would change nothing here (see orders for that).
const CASES: Array<[method: 'get' | 'post' | 'patch', path: string, body: object | undefined, answers: Record<Who, [number, string?]>]> = [
  ['get', '/products', undefined, { anonymous: [200], customer: [200], admin: [200] }],
  ['get', '/products/:id', undefined, { anonymous: [200], customer: [200], admin: [200] }],
  ['post', '/products', { name: 'Lamp', priceCents: 100, stock: 1 }, { anonymous: [401, 'unauthorized'], customer: [403, 'forbidden'], admin: [201] }],
  ['patch', '/products/:id', { priceCents: 0 }, { anonymous: [401, 'unauthorized'], customer: [403, 'forbidden'], admin: [200] }],
];

describe('who may read and change the catalogue', () => {
  const rows = CASES.flatMap(([method, path, body, answers]) =>
    (Object.entries(answers) as Array<[Who, [number, string?]]>).map(([who, [status, code]]) => ({ method, path, body, who, status, code })),
  );
  it.each(rows)('$method $path as $who: $status $code', async ({ method, path, body, who, status, code }) => {
    const res = await send(who, method, path, body);
    expect(res.status).toBe(status);
    if (code) expect(res.body.error.code).toBe(code);
  });

  it('changes nothing when it refuses', async () => {
    const made = await request(products.app).post('/products').set(headers.admin).send({ name: 'Teapot', priceCents: 3000, stock: 4 });
    for (const who of ['anonymous', 'customer'] as const) {
      await request(products.app).patch(`/products/${made.body.id}`).set(headers[who]).send({ priceCents: 0, stock: 1_000_000 });
    }
    expect((await request(products.app).get(`/products/${made.body.id}`)).body).toMatchObject({ priceCents: 3000, stock: 4 });
  });
});

describe('what does not make a caller', () => {
  it('asks an anonymous writer to sign in, with WWW-Authenticate: Bearer', async () => {
    const res = await send('anonymous', 'post', '/products', { name: 'Lamp', priceCents: 100, stock: 1 });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="shopstack"');
  });

  it('refuses a token signed by another key, even as an admin, even for a read', async () => {
    const { accessToken } = await signAccessToken(await generateSigningKey(), { userId: uuidv7(), role: 'admin' });
    for (const res of [
      await request(products.app).post('/products').set('Authorization', `Bearer ${accessToken}`).send({ name: 'Lamp', priceCents: 1, stock: 1 }),
      await request(products.app).get('/products').set('Authorization', `Bearer ${accessToken}`),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('ignores identity headers a client makes up', async () => {
    const res = await request(products.app)
      .patch(`/products/${productId}`)
      .set({ 'X-User-Id': uuidv7(), 'X-User-Role': 'admin', 'X-Forwarded-User': 'admin' })
      .send({ stock: 1_000_000 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await request(products.app).post('/products').set('Authorization', 'Basic YWRtaW46YWRtaW4=').send({ name: 'Lamp', priceCents: 1, stock: 1 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
  });
});

describe('the internal reservation routes', () => {
  const reserve = (id: string, auth: Record<string, string>) => request(products.app).put(`/reservations/${id}`).set(auth).send({ items: [{ productId, quantity: 1 }] });
  const release = (id: string, auth: Record<string, string>) => request(products.app).delete(`/reservations/${id}`).set(auth);
  const stock = async () => (await request(products.app).get(`/products/${productId}`)).body.stock as number;
  /** A token as orders' would be, with `from`, `to` or the key changed, signed at `at`. */
  async function serviceToken(key: SigningKey, identity = { from: 'orders', to: 'products' }, at = Date.now()): Promise<Record<string, string>> {
    vi.useFakeTimers({ toFake: ['Date'], now: at });
    try {
      return { authorization: await serviceTokenSource(async () => key, identity)() };
    } finally {
      vi.useRealTimers();
    }
  }

  it('answer orders, with its service token', async () => {
    const id = uuidv7();
    expect((await reserve(id, await products.asOrders())).status).toBe(201);
    expect((await release(id, await products.asOrders())).status).toBe(204);
  });

  it.each<[string, () => Promise<Record<string, string>>, string]>([
    ['no token', async () => ({}), 'unauthorized'],
    ['a customer’s token', () => products.signedIn('customer'), 'invalid_token'],
    ['an admin’s token', () => products.signedIn('admin'), 'invalid_token'],
    ['a token that says orders, signed by users’ key', () => serviceToken(products.keys.users), 'invalid_token'],
    ['a token that says orders, signed by a key of its own', async () => serviceToken(await generateSigningKey()), 'invalid_token'],
    ['orders’ token, expired', () => serviceToken(products.keys.orders, undefined, Date.now() - 5 * 60_000), 'invalid_token'],
    ['orders’ token for another audience', () => serviceToken(products.keys.orders, { from: 'orders', to: 'users' }), 'invalid_token'],
    ['orders’ key signing for another sender', () => serviceToken(products.keys.orders, { from: 'users', to: 'products' }), 'invalid_token'],
    ['a Basic header', async () => ({ authorization: 'Basic b3JkZXJzOm9yZGVycw==' }), 'invalid_token'],
  ])('refuse %s with a 401, and neither take nor give back stock', async (_who, auth, code) => {
    const before = await stock();
    const refused = await reserve(uuidv7(), await auth());
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe(code);
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    const taken = uuidv7();
    expect((await reserve(taken, await products.asOrders())).status).toBe(201);
    expect((await release(taken, await auth())).status).toBe(401);
    expect(await stock()).toBe(before - 1);
    expect((await release(taken, await products.asOrders())).status).toBe(204);
    expect(await stock()).toBe(before);
  });
});
