import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServiceTokenVerifier, SERVICE_TOKEN_TTL_SECONDS, serviceTokenSource, type ServiceTokenVerifier } from './service-tokens.js';
import { generateSigningKey, signAccessToken, type SigningKey } from './signing-keys.js';
import { localKeys } from './verify-token.js';

const identity = { from: 'orders', to: 'products' };
const now = () => Math.floor(Date.now() / 1000);
const bearer = (header: string) => header.replace(/^Bearer /, '');

let ordersKey: SigningKey;
let verify: ServiceTokenVerifier;

beforeAll(async () => {
  ordersKey = await generateSigningKey();
  verify = createServiceTokenVerifier(localKeys({ keys: [ordersKey.publicJwk] }), identity);
});

afterEach(() => {
  vi.useRealTimers();
});

/** A token signed with `key` (orders' own unless told), with the claims of a good one changed as a test says. */
async function signed(claims: JWTPayload, key = ordersKey): Promise<string> {
  const payload: JWTPayload = { iss: 'orders', sub: 'orders', aud: 'products', iat: now(), exp: now() + SERVICE_TOKEN_TTL_SECONDS, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(await importJWK(key.privateJwk, 'EdDSA'));
}

/** Verifying `token` fails as any invalid token does: a 401 invalid_token. */
const refused = (token: string) => expect(verify(token)).rejects.toMatchObject({ status: 401, code: 'invalid_token' });

describe('service tokens', () => {
  it('are signed by the sender for the receiver, live a minute, and verify as the sender', async () => {
    const token = bearer(await serviceTokenSource(async () => ordersKey, identity)());
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as JWTPayload;
    expect(payload).toMatchObject({ iss: 'orders', sub: 'orders', aud: 'products' });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(await verify(token)).toBe('orders');
  });

  it('are reused until near their end, not signed per call, then signed again with the key current then', async () => {
    const rotated = await generateSigningKey();
    let key = ordersKey;
    const currentKey = vi.fn(async () => key);
    const next = serviceTokenSource(currentKey, identity);
    const first = await next();
    expect(await Promise.all(Array.from({ length: 20 }, next))).toEqual(Array(20).fill(first));
    expect(currentKey).toHaveBeenCalledTimes(1);
    key = rotated;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 45_000 });
    const renewed = await next();
    expect(renewed).not.toBe(first);
    expect(JSON.parse(Buffer.from(bearer(renewed).split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: rotated.kid });
  });

  it('are signed again after a signing failed (the database away), not stuck on the failure', async () => {
    let fail = true;
    const next = serviceTokenSource(async () => (fail ? Promise.reject(new Error('database away')) : ordersKey), identity);
    await expect(next()).rejects.toThrow('database away');
    fail = false;
    expect(await verify(bearer(await next()))).toBe('orders');
  });

  it.each([
    ['an expired token', { iat: now() - 120, exp: now() - 60 }],
    ['a token for another audience', { aud: 'users' }],
    ['a token from another issuer', { iss: 'users' }],
    ['a subject other than its sender', { sub: 'users' }],
    ['an iat older than a token lives', { iat: now() - 300, exp: now() + 60 }],
  ])('refuse %s', async (_case, claims) => {
    await refused(await signed(claims));
  });

  it('refuse a token that says all the right things, signed by another key (users’, say)', async () => {
    await refused(await signed({}, await generateSigningKey()));
  });

  it('refuse a user’s access token, even an admin’s, even signed by the sender’s own key', async () => {
    const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';
    await refused((await signAccessToken(ordersKey, { userId, role: 'admin' })).accessToken);
    const usersKey = await generateSigningKey();
    await refused((await signAccessToken(usersKey, { userId, role: 'admin' })).accessToken);
  });

  it('refuse alg none', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ iss: 'orders', sub: 'orders', aud: 'products', iat: now(), exp: now() + 60 })}.`;
    await refused(token);
  });
});
