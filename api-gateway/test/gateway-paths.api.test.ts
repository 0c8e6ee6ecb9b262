import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { listen, type Account, type Listening } from '@shopstack/testing';
import { useGatewayFixture } from './gateway-fixture.js';

const ctx = useGatewayFixture();

let gateway: Listening;
let customer: Account;

beforeAll(async () => {
  customer = await ctx.fixture.shop.customer();
  gateway = await listen(ctx.gateway);
});
afterAll(() => gateway?.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string } } | undefined;
}

/**
 * Sends `path` exactly as written: node:http puts it on the request line as it is, where
 * supertest (a URL) would resolve `..` and the like before the gateway sees them.
 */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: gateway.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Answer['body']) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

type Who = 'anonymous' | 'customer';

// Ways of spelling a route that needs a login so that a router or a check on the path might
// miss it: each must end where the plain path does (401 anonymous, 403 for a customer on the
// admins' list of users) or nowhere (404), never at a protected resource.
const TRICKS: Array<[method: string, path: string, who: Who, status: number, code?: string]> = [
  ['GET', '/api/Users', 'anonymous', 401, 'unauthorized'],
  ['GET', '/api/Users', 'customer', 403, 'forbidden'],
  ['GET', '/api/USERS/', 'customer', 403, 'forbidden'],
  ['GET', '/api/users/', 'anonymous', 401, 'unauthorized'],
  ['GET', '/api/users/', 'customer', 403, 'forbidden'],
  ['GET', '/api//users', 'anonymous', 404, 'not_found'],
  ['GET', '/api//users', 'customer', 404, 'not_found'],
  ['GET', '/api/users%2Fme', 'anonymous', 404, 'not_found'],
  ['GET', '/api/users%2Fme', 'customer', 404, 'not_found'],
  ['GET', '/api/users;x', 'anonymous', 404, 'not_found'],
  ['GET', '/api/users;x', 'customer', 404, 'not_found'],
  // Out of a mount into another: refused, whatever the path resolves to.
  ['GET', '/api/orders/../users', 'anonymous', 401, 'unauthorized'],
  ['GET', '/api/orders/../users', 'customer', 404, 'not_found'],
  ['GET', '/api/orders/%2e%2e/users', 'anonymous', 401, 'unauthorized'],
  ['GET', '/api/orders/%2e%2e/users', 'customer', 404, 'not_found'],
  // The catalogue's GETs are public: climbing out of it must not make /users public too.
  ['GET', '/api/products/../users', 'anonymous', 401, 'unauthorized'],
  ['GET', '/api/products/../users', 'customer', 404, 'not_found'],
  ['GET', '/api/products/%2E%2E/users/me', 'anonymous', 401, 'unauthorized'],
  // Methods a check might let by as harmless reads; a HEAD answer has no body to carry a code.
  ['HEAD', '/api/users', 'anonymous', 401],
  ['OPTIONS', '/api/users', 'anonymous', 401, 'unauthorized'],
  ['OPTIONS', '/api/users/me', 'anonymous', 401, 'unauthorized'],
];

describe('paths that try to get round the login', () => {
  it.each(TRICKS.map(([method, path, who, status, code]) => ({ method, path, who, status, code, answer: [status, code].filter(Boolean).join(' ') })))(
    '$method $path as $who: $answer',
    async ({ method, path, who, status, code }) => {
      const requestId = `path-${uuidv7()}`;
      const res = await raw(method, path, { 'X-Request-ID': requestId, ...(who === 'customer' ? customer.auth : {}) });
      expect(res.status).toBe(status);
      if (code) expect(res.body?.error?.code).toBe(code);
      if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer realm="shopstack"');
      // Refused at the gateway: no service saw it. Only a customer's 403 is users' own answer.
      const seenBy = (['users', 'products', 'orders'] as const).filter((service) => ctx.fixture.logs[service].lines().some((line) => line.requestId === requestId));
      expect(seenBy).toEqual(status === 403 ? ['users'] : []);
    },
  );

  it('answers the plain paths as the table expects of them', async () => {
    // The table's reference points: had these changed, its rows would prove nothing.
    expect((await raw('GET', '/api/users')).status).toBe(401);
    expect((await raw('GET', '/api/users', customer.auth)).status).toBe(403);
    const me = await raw('GET', '/api/users/me', customer.auth);
    expect(me.status).toBe(200);
  });
});
