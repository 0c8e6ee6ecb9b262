import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, createProduct, createUser, health, rawRequest } from './stack.js';
import { ALL_SERVICES } from './stack-env.js';

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const json = { 'content-type': 'application/json' };
const post = (name: string, path: string, body: unknown, headers: Record<string, string> = json): Case => ({
  name,
  method: 'POST',
  path,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

// Values each field must refuse: wrong types, out of range, control characters, SQL.
const NOT_A_STRING = [null, true, 42, [], {}, [1, 2]];
const BAD_TEXT = ['', '   ', 'x'.repeat(10_000), 'nul\u0000byte', 'bell\u0007', 'new\nline'];
const NOT_A_COUNT = [null, true, '42', [], {}, -1, 1.5, 'x', 1e20, "1; DROP TABLE products"];
const WRONG_VALUES: Record<string, unknown[]> = {
  email: [...NOT_A_STRING, ...BAD_TEXT, 'text', "' OR 1=1 --", 'a@', '@b.c', 'a b@c.d'],
  name: [...NOT_A_STRING, ...BAD_TEXT],
  priceCents: NOT_A_COUNT,
  stock: NOT_A_COUNT,
  userId: [...NOT_A_STRING, 'text', "' OR 1=1 --", '42', randomUUID().slice(0, 30)],
  items: [null, true, 42, 'text', {}, [1, 2], [{}], [{ productId: 'x', quantity: 1 }]],
};

/** Hundreds of malformed requests, built from a few families of mistakes. */
function malformedRequests(ids: { user: string; product: string }): Case[] {
  const cases: Case[] = [];
  const validUser = { email: 'valid@example.com', name: 'Valid' };
  const validProduct = { name: 'Valid', priceCents: 100, stock: 1 };
  const validOrder = { userId: ids.user, items: [{ productId: ids.product, quantity: 1 }] };
  const creates = { '/api/users': validUser, '/api/products': validProduct, '/api/orders': validOrder } as const;

  const brokenJson = ['{', '{"email": }', '[1, 2', "{'single': 'quotes'}", '{"a": 1,}', 'nul', 'NaN', '{"a": Infinity}', '\u0000\u0001\u0002', '{"a": "\\u12"}', '{"a": 01}', '\ufeff{"a": 1} trailing'];
  const wrongTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream'];
  for (const [path, valid] of Object.entries(creates)) {
    for (const body of brokenJson) cases.push(post(`${path} broken JSON ${JSON.stringify(body)}`, path, body));
    for (const type of wrongTypes) cases.push(post(`${path} as ${type}`, path, JSON.stringify(valid), { 'content-type': type }));
    cases.push(post(`${path} empty JSON body`, path, ''));
    for (const field of Object.keys(valid)) {
      const { [field]: _dropped, ...missing } = valid as Record<string, unknown>;
      cases.push(post(`${path} missing ${field}`, path, missing));
      for (const wrong of WRONG_VALUES[field]!) {
        cases.push(post(`${path} ${field}=${JSON.stringify(wrong).slice(0, 30)}`, path, { ...valid, [field]: wrong }));
      }
    }
    cases.push(post(`${path} extra field`, path, { ...valid, isAdmin: true }));
    cases.push(post(`${path} __proto__`, path, `{"__proto__": {"polluted": true}, ${JSON.stringify(valid).slice(1)}`));
    cases.push(post(`${path} an array`, path, [valid]));
    cases.push(post(`${path} deeply nested`, path, `${'['.repeat(5000)}${']'.repeat(5000)}`));
    cases.push(post(`${path} 200 kB`, path, { ...valid, padding: 'x'.repeat(200_000) }));
    cases.push(post(`${path} 2 MB`, path, { ...valid, padding: 'x'.repeat(2_000_000) }));
  }

  for (const [field, values] of Object.entries({
    priceCents: [-1, -100_000, 1e20, 2 ** 53 + 1, 0.01, '100', 1e-9],
    stock: [-5, 1_000_001, 3.7, '10', 2 ** 31],
  })) {
    for (const value of values) cases.push(post(`product ${field}=${value}`, '/api/products', { ...validProduct, [field]: value }));
  }
  for (const quantity of [0, -1, 1001, 10 ** 9, 2.5, '1', null]) {
    cases.push(post(`order quantity=${quantity}`, '/api/orders', { userId: ids.user, items: [{ productId: ids.product, quantity }] }));
  }
  cases.push(post('order with no items', '/api/orders', { userId: ids.user, items: [] }));
  cases.push(post('order with 51 items', '/api/orders', { userId: ids.user, items: Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })) }));
  cases.push(post('order repeating a product', '/api/orders', { userId: ids.user, items: [{ productId: ids.product, quantity: 1 }, { productId: ids.product, quantity: 1 }] }));
  cases.push(post('order for an unknown user', '/api/orders', { ...validOrder, userId: randomUUID() }));
  cases.push(post('order for an unknown product', '/api/orders', { userId: ids.user, items: [{ productId: randomUUID(), quantity: 1 }] }));
  cases.push(post('order for more than the stock', '/api/orders', { userId: ids.user, items: [{ productId: ids.product, quantity: 1000 }] }));
  cases.push(post('order with a client-side total', '/api/orders', { ...validOrder, totalCents: 1 }));
  cases.push(post('email with unicode', '/api/users', { email: 'ünïcødé@exämple@com', name: 'U' }));
  cases.push(post('email over 254 characters', '/api/users', { email: `${'a'.repeat(250)}@example.com`, name: 'L' }));

  for (const key of ['', ' ', 'has space', 'k'.repeat(256), 'tab\there', 'semi;colon', 'quote"d', 'caf\u00e9']) {
    cases.push(post(`Idempotency-Key ${JSON.stringify(key).slice(0, 20)}`, '/api/orders', validOrder, { ...json, 'Idempotency-Key': key }));
  }

  for (const resource of ['users', 'products', 'orders']) {
    for (const id of [randomUUID(), '00000000-0000-0000-0000-000000000000', '42', '-1', '0', 'abc', `${randomUUID()}x`, "1'%20OR%20'1'='1", '%27%3B%20DROP%20TABLE%20users%3B--', 'x'.repeat(3000), '%E2%80%AE', '%F0%9F%92%A9', 'null', 'undefined', '..%2F..%2Fetc%2Fpasswd']) {
      cases.push({ name: `GET ${resource}/${id.slice(0, 30)}`, method: 'GET', path: `/api/${resource}/${id}` });
    }
    for (const query of ['limit=0', 'limit=-1', 'limit=101', 'limit=abc', 'limit=1e3', 'offset=-5', 'offset=1.5', 'limit=1&limit=2', 'offset=99999999999']) {
      cases.push({ name: `GET ${resource}?${query}`, method: 'GET', path: `/api/${resource}?${query}${resource === 'orders' ? `&userId=${ids.user}` : ''}` });
    }
    for (const method of ['PUT', 'DELETE', 'PURGE', 'PROPFIND', 'TRACE', 'BREW']) {
      cases.push({ name: `${method} ${resource}`, method, path: `/api/${resource}/${randomUUID()}` });
    }
  }
  for (const query of ['', 'userId=abc', "userId=1'--", `userId=${ids.user.toUpperCase()}x`]) {
    cases.push({ name: `GET orders?${query}`, method: 'GET', path: `/api/orders?${query}` });
  }
  for (const body of ['{}', '{"stock": -1}', '{"priceCents": "free"}', '{"name": ""}', '{"id": "x"}', '[]']) {
    cases.push({ name: `PATCH product ${body}`, method: 'PATCH', path: `/api/products/${ids.product}`, headers: json, body });
  }
  cases.push({ name: 'PATCH unknown product', method: 'PATCH', path: `/api/products/${randomUUID()}`, headers: json, body: '{"stock": 1}' });
  for (const path of ['/api', '/api/', '/api/unknown', '/api/users/x/y/z', '/api/reservations/x', `/api/users/${ids.user}/orders`, '/admin', '/.env', '/api/../etc/passwd', '/api/%00', '/%', '/api/users/%']) {
    cases.push({ name: `unknown route ${path}`, method: 'GET', path });
  }
  cases.push({ name: 'huge header', method: 'GET', path: '/api/users', headers: { 'x-filler': 'y'.repeat(20_000) } });
  return cases;
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|TypeError|ReferenceError|SyntaxError: /;

describe('bad input through nginx', () => {
  it('answers every malformed request with a 4xx JSON error, and the stack stays healthy with its data intact', async () => {
    const user = await createUser();
    const product = await createProduct(10, 500);
    const order = await api('/api/orders', { method: 'POST', json: { userId: user.id, items: [{ productId: product.id, quantity: 1 }] } });
    expect(order.status).toBe(201);

    const cases = malformedRequests({ user: user.id, product: product.id });
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await rawRequest(c.method, c.path, c.headers, c.body);
      const bad =
        res.status < 400 ||
        res.status >= 500 ||
        !res.headers.get('content-type')?.includes('application/json') ||
        typeof res.body?.error?.code !== 'string' ||
        STACK_TRACE.test(res.text);
      if (bad) wrong.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    console.log(`bad input: ${cases.length} malformed requests sent through nginx, ${cases.length - wrong.length} answered with a 4xx JSON error`);
    expect(wrong).toEqual([]);

    for (const service of ALL_SERVICES) expect(await health(service), service).toBe('healthy');
    expect((await api(`/api/users/${user.id}`)).body).toEqual(user);
    expect((await api(`/api/products/${product.id}`)).body).toMatchObject({ id: product.id, stock: 9, priceCents: 500 });
    expect((await api(`/api/orders/${order.body.id}`)).body).toEqual(order.body);
  });
});
