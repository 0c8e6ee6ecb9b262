// The bad requests the sweep sends, by family, each with the answer it must get.
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { unique } from '../shop.js';
import { CREATES, RESOURCES, INVALID, INVALID_JSON, MALFORMED, MISDIRECTED, NOT_FOUND, NOT_ALLOWED, TOO_LARGE, BAD_CHARSET, OK, CREATED, JSON_TYPE, NGINX_ID, post, request, wire, postWire, valid, withUserId, e, type Case, type CreatePath, type Expect, type Ids } from './bad-input-sweep.js';
import { waitUntil } from './stack.js';

// Values each field must refuse: wrong types, out of range, control characters, SQL.
export const NOT_A_STRING = [null, true, 42, [], {}, [1, 2]];
export const BAD_TEXT = ['', '   ', 'x'.repeat(10_000), 'nul\u0000byte', 'bell\u0007', 'new\nline'];
export const NOT_A_COUNT = [null, true, '42', [], {}, -1, 1.5, 'x', 1e20, '1; DROP TABLE products'];
export const WRONG_VALUES: Record<string, unknown[]> = {
  email: [...NOT_A_STRING, ...BAD_TEXT, 'text', "' OR 1=1 --", 'a@', '@b.c', 'a b@c.d', 'ünïcødé@exämple@com', `${'a'.repeat(250)}@example.com`],
  name: [...NOT_A_STRING, ...BAD_TEXT],
  // Any 10 to 128 characters make a password: only the length and the type can be wrong.
  password: [...NOT_A_STRING, '', '   ', 'short', 'x'.repeat(9), 'x'.repeat(129), 'x'.repeat(10_000)],
  priceCents: [...NOT_A_COUNT, -100_000, 2 ** 53 + 1, 0.01, 1e-9],
  stock: [...NOT_A_COUNT, 1_000_001, 2 ** 31],
  userId: [...NOT_A_STRING, 'text', "' OR 1=1 --", '42', randomUUID().slice(0, 30)],
  items: [null, true, 42, 'text', {}, [1, 2], [{}], [{ productId: 'x', quantity: 1 }], [],
    Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })),
    ...[0, -1, 1001, 10 ** 9, 2.5, '1', null].map((quantity) => [{ productId: randomUUID(), quantity }])],
};

// Fields a body may leave out: an order is placed for the caller, whose id it may name or not.
const OPTIONAL: Record<CreatePath, string[]> = { '/api/users': [], '/api/products': [], '/api/orders': ['userId'] };

// Bodies: broken JSON is invalid_json, another type 415, a missing, wrong or unknown field validation_failed, too big 413.
export function bodies(ids: Ids): Case[] {
  const broken = ['{', '{"email": }', '[1, 2', "{'single': 'quotes'}", '{"a": 1,}', 'nul', 'NaN', '{"a": Infinity}', '\u0000\u0001\u0002',
    '{"a": "\\u12"}', '{"a": 01}', '\ufeff{"a": 1} trailing'];
  const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream'];
  return CREATES.flatMap((path) => {
    const good = valid(path, ids);
    return [
      ...broken.map((body) => post(`${path} broken JSON ${JSON.stringify(body)}`, path, body, INVALID_JSON)),
      ...types.map((type) => post(`${path} as ${type}`, path, good, e(415, 'unsupported_media_type'), { 'content-type': type })),
      post(`${path} empty JSON body`, path, '', INVALID),
      ...Object.keys(good).flatMap((field) => {
        const { [field]: _dropped, ...missing } = good;
        const wrong = (value: unknown) => post(`${path} ${field}=${JSON.stringify(value).slice(0, 30)}`, path, { ...good, [field]: value }, INVALID);
        return [post(`${path} missing ${field}`, path, missing, OPTIONAL[path].includes(field) ? CREATED : INVALID), ...WRONG_VALUES[field]!.map(wrong)];
      }),
      post(`${path} extra field`, path, { ...good, isAdmin: true, totalCents: 1 }, INVALID),
      // Sign-up makes a customer: a body naming its own role is refused, not obeyed.
      ...(path === '/api/users' ? [post(`${path} with role admin`, path, { ...good, role: 'admin' }, INVALID)] : []),
      post(`${path} an array`, path, [good], INVALID),
      post(`${path} deeply nested`, path, `${'['.repeat(5000)}${']'.repeat(5000)}`, INVALID),
      post(`${path} 200 kB`, path, { ...good, padding: 'x'.repeat(200_000) }, TOO_LARGE), // the service's 100 kB
      post(`${path} 2 MB`, path, { ...good, padding: 'x'.repeat(2_000_000) }, TOO_LARGE), // nginx's 1 MB
    ];
  });
}

// Orders that are well-formed but cannot be placed get the documented 403/409/422; a bad Idempotency-Key is refused alone.
export function orders(ids: Ids): Case[] {
  const order = (name: string, items: unknown[], expect: Expect, userId = ids.user) => post(`order ${name}`, '/api/orders', { userId, items }, expect);
  const line = { productId: ids.spare, quantity: 1 };
  return [
    order('repeating a product', [line, line], INVALID),
    // Placed for the caller only: any other id, known or not, is refused alike.
    order('for an unknown user', [line], e(403, 'forbidden'), randomUUID()),
    order('for an unknown product', [{ productId: randomUUID(), quantity: 1 }], e(422, 'unknown_product')),
    order('for more than the stock', [{ productId: ids.spare, quantity: 1000 }], e(409, 'insufficient_stock')),
    ...['', ' ', 'has space', 'k'.repeat(256), 'tab\there', 'semi;colon', 'quote"d', 'caf\u00e9'].map((key) =>
      post(`Idempotency-Key ${JSON.stringify(key)}`.slice(0, 40), '/api/orders', valid('/api/orders', ids), e(400, 'invalid_idempotency_key'),
        { ...JSON_TYPE, 'Idempotency-Key': key })),
  ];
}

// Ids are UUIDs (else 400, unknown 404); lists refuse bad paging; nginx refuses odd methods and broken URIs itself.
export function routes(ids: Ids): Case[] {
  const badIds = ['42', '-1', '0', 'abc', `${randomUUID()}x`, "1'%20OR%20'1'='1", '%27%3B%20DROP%20TABLE%20users%3B--', 'x'.repeat(3000), '%E2%80%AE',
    '%F0%9F%92%A9', 'null', 'undefined'];
  const badQueries = ['limit=0', 'limit=-1', 'limit=101', 'limit=abc', 'limit=1e3', 'offset=-5', 'offset=1.5', 'limit=1&limit=2', 'offset=99999999999'];
  const patch = (body: string, expect: Expect, id = ids.product) =>
    request('PATCH', `/api/products/${id}`, expect, { name: `PATCH product ${body}`, headers: JSON_TYPE, body });
  return [
    ...RESOURCES.flatMap((resource) => [
      request('GET', `/api/${resource}/${randomUUID()}`, NOT_FOUND),
      request('GET', `/api/${resource}/00000000-0000-0000-0000-000000000000`, NOT_FOUND),
      ...badIds.map((id) => request('GET', `/api/${resource}/${id}`, INVALID)),
      // nginx decodes %2F and resolves the dot segments: the path leaves /api/ and meets nginx's own 404.
      request('GET', `/api/${resource}/..%2F..%2Fetc%2Fpasswd`, NOT_FOUND),
      ...badQueries.map((query) => request('GET', withUserId(resource, query, ids), INVALID)),
      // No such resource, and no such method on it: 404 and 405 are both true.
      ...['PUT', 'DELETE'].map((method) => request(method, `/api/${resource}/${randomUUID()}`, [NOT_FOUND, NOT_ALLOWED])),
      ...['PURGE', 'PROPFIND', 'TRACE', 'BREW'].map((method) => request(method, `/api/${resource}/${randomUUID()}`, NOT_ALLOWED)),
    ]),
    ...['userId=abc', "userId=1'--", `userId=${ids.user.toUpperCase()}x`].map((query) => request('GET', `/api/orders?${query}`, INVALID)),
    // Without a userId, the caller's own orders.
    request('GET', '/api/orders?', OK),
    ...['{}', '{"stock": -1}', '{"priceCents": "free"}', '{"name": ""}', '{"id": "x"}', '[]'].map((body) => patch(body, INVALID)),
    patch('{"stock": 1}', NOT_FOUND, randomUUID()),
    ...['/api', '/api/', '/api/unknown', '/api/users/x/y/z', '/api/reservations/x', `/api/users/${ids.user}/orders`, '/admin', '/.env', '/api/../etc/passwd']
      .map((path) => request('GET', path, NOT_FOUND)),
    ...['/api/%00', '/%', '/api/users/%'].map((path) => request('GET', path, MALFORMED)),
    request('GET', '/api/users', e(431, 'headers_too_large'), { name: 'huge header', headers: { 'x-filler': 'y'.repeat(20_000) } }),
    // Within nginx's limits (each line under 8 kB), so within the services' too: served.
    request('GET', '/api/users?limit=1', OK, { name: '21 kB of headers', headers: { 'x-a': 'y'.repeat(7000), 'x-b': 'y'.repeat(7000), 'x-c': 'y'.repeat(7000) } }),
  ];
}

// Compressed bodies are accepted, alike on every route: the gateway inflates gzip, deflate and br before the services
// see them, and its 1 MB limit counts inflated bytes (a bomb is a 413); undecodable is a 400, an unknown coding a 415.
export function encodings(ids: Ids): Case[] {
  return CREATES.flatMap((path) => {
    const json = () => Buffer.from(JSON.stringify(valid(path, ids)));
    const sent = (name: string, coding: string, bytes: Buffer, expect: Expect) =>
      post(`${path} Content-Encoding ${name}`, path, bytes, expect, { ...JSON_TYPE, 'content-encoding': coding });
    return [
      sent('gzip', 'gzip', gzipSync(json()), CREATED),
      sent('deflate', 'deflate', deflateSync(json()), CREATED),
      sent('br', 'br', brotliCompressSync(json()), CREATED),
      sent('gzip, not gzipped', 'gzip', Buffer.from('not gzip at all'), MALFORMED),
      sent('gzip, 20 MB inflated', 'gzip', gzipSync(Buffer.alloc(20_000_000, ' ')), TOO_LARGE),
      sent('compress', 'compress', json(), e(415, 'unsupported_encoding')),
    ];
  });
}

// JSON is UTF-8 (RFC 8259 §8.1): utf-8 in any case is fine, any other charset a 415 (even one body-parser could decode),
// and bytes that are not UTF-8 are not JSON text (400 invalid_json) rather than silently stored as U+FFFD.
export function charsets(ids: Ids): Case[] {
  const labelled = (path: CreatePath, charset: string, expect: Expect, bytes = Buffer.from(JSON.stringify(valid(path, ids)))) =>
    post(`${path} charset=${charset}`, path, bytes, expect, { 'content-type': `application/json; charset=${charset}` });
  /** `fields` as JSON, with `marker` replaced by raw bytes or raw JSON text. */
  const spliced = (fields: Record<string, unknown>, marker: string, raw: number[] | string) => {
    const text = JSON.stringify(fields);
    const at = text.indexOf(marker);
    const inserted = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw);
    return Buffer.concat([Buffer.from(text.slice(0, at)), inserted, Buffer.from(text.slice(at + marker.length))]);
  };
  return [
    ...CREATES.flatMap((path) => [
      labelled(path, 'utf-8', CREATED), labelled(path, 'UTF-8', CREATED), labelled(path, 'latin1', BAD_CHARSET), labelled(path, 'nonsense', BAD_CHARSET),
      labelled(path, 'utf-16', BAD_CHARSET, Buffer.from(`\ufeff${JSON.stringify(valid(path, ids))}`, 'utf16le')),
    ]),
    ...(['/api/users', '/api/products'] as const).flatMap((path) => [
      post(`${path} name "Zoë 😀"`, path, { ...valid(path, ids), name: 'Zoë 😀' }, CREATED),
      post(`${path} name with bytes FF FE`, path, spliced({ ...valid(path, ids), name: 'a#b' }, '#', [0xff, 0xfe]), INVALID_JSON),
      post(`${path} name with an overlong "/"`, path, spliced({ ...valid(path, ids), name: 'a#b' }, '#', [0xc0, 0xaf]), INVALID_JSON),
      // Valid JSON syntax, but no Unicode text: a field, not the JSON, is wrong.
      post(`${path} name with a lone surrogate`, path, spliced({ ...valid(path, ids), name: 'a#b' }, '#', '\\ud800'), INVALID),
    ]),
    post('/api/orders userId with byte FF', '/api/orders', spliced({ ...valid('/api/orders', ids), userId: '#' }, '#', [0xff]), INVALID_JSON),
  ];
}

// __proto__, constructor, prototype: bodies are strict, so such a key is refused by name; Express 5 parses query
// strings flat, so `a[b]` is just an unknown parameter, ignored like any other. Duplicate keys: JSON.parse keeps the
// last value, which is the one validated, so nothing slips past validation; refusing them (invalid_json) is also right.
export function prototypeKeys(ids: Ids): Case[] {
  const line = `{"productId":"${ids.spare}","quantity":1`;
  return [
    ...RESOURCES.flatMap((resource) =>
      ['__proto__[x]=1', 'constructor[prototype][x]=1', 'limit[__proto__]=1', '__proto__=1'].map((query) => request('GET', withUserId(resource, query, ids), OK))),
    ...['__proto__', 'constructor', 'prototype'].flatMap((key) => [
      post(`order item with ${key}`, '/api/orders', `{"userId":"${ids.user}","items":[${line},"${key}":{"quantity":1000}}]}`, INVALID),
      post(`product with ${key}`, '/api/products', `{"name":"P","priceCents":1,"stock":1,"${key}":{"stock":5,"isAdmin":true}}`, INVALID),
      post(`user with ${key}`, '/api/users', `{"email":"p.${unique()}@example.com","name":"P","password":"a valid password","${key}":{"polluted":true}}`, INVALID),
    ]),
    post('user with a duplicated name', '/api/users', `{"email":"dup.${unique()}@example.com","name":"a","name":"b","password":"a valid password"}`, [CREATED, INVALID_JSON]),
    post('product with a duplicated priceCents', '/api/products', '{"name":"x","priceCents":100,"priceCents":"free","stock":1}', [INVALID, INVALID_JSON]),
  ];
}

// HEAD answers as GET would, without a body; OPTIONS says what the resource allows: 204 with Allow (RFC 9110 §9.3.7).
export function headAndOptions(ids: Ids): Case[] {
  const items = { users: ['GET, HEAD', ids.user], products: ['GET, HEAD, PATCH', ids.product], orders: ['GET, HEAD', ids.order] } as const;
  return RESOURCES.flatMap((resource) => {
    const [itemAllows, id] = items[resource];
    const list = withUserId(resource, 'limit=5', ids);
    return [
      request('HEAD', list, OK), request('HEAD', `/api/${resource}/${id}`, OK),
      request('HEAD', `/api/${resource}/${randomUUID()}`, e(404)), request('HEAD', `/api/${resource}/abc`, e(400)),
      request('OPTIONS', list, { status: 204, allow: 'GET, HEAD, POST' }), request('OPTIONS', `/api/${resource}/${id}`, { status: 204, allow: itemAllows }),
    ];
  });
}

// Ambiguous framing is refused by nginx before anything reaches Node (request smuggling). A body shorter than its
// Content-Length waits for the gateway's 15 s request timeout (checked each second; measured 15.6 s), then a JSON 408.
export const framing: Case[] = [
  postWire('Content-Length and Transfer-Encoding', ['Content-Length: 4', 'Transfer-Encoding: chunked'], '0\r\n\r\n', MALFORMED),
  postWire('two different Content-Lengths', ['Content-Length: 2', 'Content-Length: 3'], '{} ', MALFORMED),
  postWire('Content-Length -1', ['Content-Length: -1'], '{}', MALFORMED),
  postWire('Content-Length abc', ['Content-Length: abc'], '{}', MALFORMED),
  postWire('malformed chunk size', ['Transfer-Encoding: chunked'], 'zz\r\n{}\r\n0\r\n\r\n', MALFORMED),
  postWire('Transfer-Encoding gzip, chunked', ['Transfer-Encoding: gzip, chunked'], '0\r\n\r\n', e(501, 'not_implemented')),
  wire('HTTP/2.0 in the request line', ['GET /api/users HTTP/2.0', 'Host: localhost'], '', e(505, 'http_version_not_supported')),
  postWire('Content-Length longer than the body', ['Content-Length: 100'], '{"email":', e(408, 'request_timeout'), { waitMs: 25_000 }),
];

// nginx refuses a missing, doubled or malformed Host (RFC 9112 §3.2), and answers a host it does not serve with a 421.
// The absolute form must be accepted (§3.2.2); its host, not the Host header, names the server (§3.2.2 again), so a
// foreign one is refused like a foreign Host.
export const hosts: Case[] = [
  wire('no Host on HTTP/1.1', ['GET /api/users HTTP/1.1'], '', MALFORMED),
  wire('two Host headers', ['GET /api/users HTTP/1.1', 'Host: a.example', 'Host: b.example'], '', MALFORMED),
  wire('Host with a path', ['GET /api/users HTTP/1.1', 'Host: a.example/x'], '', MALFORMED),
  wire('Host with spaces', ['GET /api/users HTTP/1.1', 'Host: a b'], '', MALFORMED),
  wire('a foreign Host', ['GET /api/products?limit=1 HTTP/1.1', 'Host: evil.example'], '', MISDIRECTED),
  wire('absolute-form request line', ['GET http://localhost/api/products?limit=1 HTTP/1.1', 'Host: localhost'], '', OK),
  wire('absolute-form request line, foreign host', ['GET http://evil.example/api/products?limit=1 HTTP/1.1', 'Host: localhost'], '', MISDIRECTED),
];

// An unusable X-Request-ID is replaced by nginx's own (32 hex) in header and body alike, for a service's errors, the
// gateway's (a 401 to a request with no token) and nginx's own; a sane one (up to 128 characters) comes back unchanged.
export function requestIds(): Case[] {
  const fresh = ['a'.repeat(300), 'a'.repeat(129), 'has spaces', '', 'caf\u00e9'];
  const raw = ['bell\u0007', 'del\u007f', 'tab\tin', Buffer.from('café😀').toString('latin1')]; // as UTF-8 bytes on the wire
  const wanted = [...fresh.map((id) => [id, NGINX_ID] as const), ...['a'.repeat(128), 'my-trace.1:2_3'].map((id) => [id, id] as const)];
  const paths = [['/api/products/abc', INVALID], ['/api/users/abc', e(401, 'unauthorized')], ['/nowhere', NOT_FOUND]] as const;
  return paths.flatMap(([path, expect]) => [
    ...wanted.map(([id, want]) =>
      request('GET', path, expect, { name: `X-Request-ID ${JSON.stringify(id).slice(0, 20)} on ${path}`, headers: { 'x-request-id': id }, requestId: want, as: 'anonymous' })),
    ...raw.map((id) =>
      wire(`X-Request-ID ${JSON.stringify(id)} on ${path}`, [`GET ${path} HTTP/1.1`, 'Host: localhost', `X-Request-ID: ${id}`], '', expect, { requestId: NGINX_ID })),
  ]);
}

/** `make`'s result, tried again for up to 60 s: a stack that has just started can time out (504) on its first writes. */
export async function eventually<T>(make: () => Promise<T>): Promise<T> {
  let made: T | undefined;
  await waitUntil('the test data to be created', async () => { made = await make(); return true; }, 60_000, 1000);
  return made!;
}
