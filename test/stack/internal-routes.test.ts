import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, serviceTokenSource, type SigningKey } from '@shopstack/auth';
import { admin, api, createProduct, customer, exec, placeOrder } from './stack.js';
import type { Service } from './stack-env.js';

// Products' reservation routes, as seen from a container an attacker holds (users, say, by a
// vulnerable dependency, or the gateway): on the backend network beside products, and still
// refused without orders' own token. See README, "Service identity".

/** What a script in `from`'s container gets when it calls `url` with `init`. */
async function callFrom(from: Service, url: string, init: { method: string; authorization?: string; body?: unknown }) {
  const script = `
    const { url, method, authorization, body } = JSON.parse(process.argv[1]);
    const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(async (res) => console.log(JSON.stringify({ status: res.status, body: await res.json().catch(() => null) })))
      .catch((error) => { console.error(error); process.exit(1); });`;
  const { code, output } = await exec(from, ['node', '-e', script, JSON.stringify({ url, ...init })]);
  if (code !== 0) throw new Error(`node in ${from}: ${output}`);
  return JSON.parse(output.trim()) as { status: number; body: { error?: { code: string; message: string; requestId: string }; keys?: object[] } | null };
}

const stockOf = async (productId: string) => (await api(`/api/products/${productId}`)).body.stock as number;

/** Users' own signing key, as whoever holds users' container can read it from users' database. */
async function usersKey(): Promise<SigningKey> {
  const sql = 'SELECT json_build_object(\'kid\', kid, \'privateJwk\', private_jwk, \'publicJwk\', public_jwk) FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1';
  const { code, output } = await exec('users-db', ['psql', '-U', 'users', '-d', 'users', '-tAc', sql]);
  if (code !== 0) throw new Error(`psql in users-db: ${output}`);
  return JSON.parse(output.trim()) as SigningKey;
}

/** A token that says everything orders' says (iss and sub orders, aud products), signed with `key`. */
const claimingOrders = (key: SigningKey) => serviceTokenSource(async () => key, { from: 'orders', to: 'products' })();

let credentials: Array<[who: string, authorization: string | undefined]>;

beforeAll(async () => {
  credentials = [
    ['no token', undefined],
    ['a customer’s token', `Bearer ${(await customer()).accessToken}`],
    ['the admin’s token', `Bearer ${(await admin()).accessToken}`],
    ['a token claiming to be orders’, signed by a key of its own', await claimingOrders(await generateSigningKey())],
    ['a token claiming to be orders’, signed by users’ own key', await claimingOrders(await usersKey())],
  ];
});

describe.each(['users', 'api-gateway'] as const)('products’ reservation routes, called from %s’s container', (from) => {
  it('refuse to take stock without orders’ token: a 401 in the error shape', async () => {
    const product = await createProduct(10);
    for (const [who, authorization] of credentials) {
      const res = await callFrom(from, `http://products:3000/reservations/${randomUUID()}`, { method: 'PUT', authorization, body: { items: [{ productId: product.id, quantity: 10 }] } });
      expect(res.status, who).toBe(401);
      expect(res.body?.error, who).toMatchObject({ code: expect.stringMatching(/^(unauthorized|invalid_token)$/), message: expect.any(String), requestId: expect.any(String) });
    }
    expect(await stockOf(product.id)).toBe(10);
  });

  it('refuse to give back the stock of a real order (its id is its reservation’s)', async () => {
    const product = await createProduct(10);
    const order = await placeOrder(await customer(), product.id, 3);
    expect(order.status).toBe(201);
    for (const [who, authorization] of credentials) {
      const res = await callFrom(from, `http://products:3000/reservations/${order.body.id}`, { method: 'DELETE', authorization });
      expect(res.status, who).toBe(401);
      expect(res.body?.error?.requestId, who).toEqual(expect.any(String));
    }
    expect(await stockOf(product.id)).toBe(7);
  });
});

describe('orders, which holds the key', () => {
  it('still places orders through nginx, and is refused stock like anyone else when there is none', async () => {
    const product = await createProduct(5);
    const buyer = await customer();
    expect((await placeOrder(buyer, product.id, 2)).status).toBe(201);
    const short = await placeOrder(buyer, product.id, 4);
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('insufficient_stock');
    expect(await stockOf(product.id)).toBe(3);
  });

  it('publishes its public keys to the backend only, and never its private half', async () => {
    const jwks = await callFrom('products', 'http://orders:3000/internal/jwks.json', { method: 'GET' });
    expect(jwks.status).toBe(200);
    expect(jwks.body?.keys?.length).toBeGreaterThanOrEqual(1);
    for (const key of jwks.body?.keys ?? []) expect(key).not.toHaveProperty('d');
    for (const path of ['/api/internal/jwks.json', '/api/orders/../internal/jwks.json', '/internal/jwks.json']) {
      const res = await api(path);
      expect(res.body?.keys, path).toBeUndefined();
    }
  });
});
