import { createHmac } from 'node:crypto';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSigningKey, signAccessToken, type SigningKey } from './signing-keys.js';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-settings.js';
import { createTokenVerifier, localKeys, type TokenVerifier } from './verify-token.js';

const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

let key: SigningKey;
let verify: TokenVerifier;

beforeAll(async () => {
  key = await generateSigningKey();
  verify = createTokenVerifier(localKeys({ keys: [key.publicJwk] }));
});

/** A token signed with the real key, with the claims of a good one changed as a test says. */
async function signed(claims: JWTPayload, header: Record<string, unknown> = {}, drop: string[] = []): Promise<string> {
  const payload: JWTPayload = { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, role: 'customer', iat: now(), exp: now() + 600, ...claims };
  for (const name of drop) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header }).sign(await importJWK(key.privateJwk, 'EdDSA'));
}

async function refusal(token: string) {
  return verify(token).then(
    () => undefined,
    (error: { status?: number; code?: string }) => ({ status: error.status, code: error.code }),
  );
}

describe('access tokens', () => {
  it('accepts a token the users service signs, and gives its caller', async () => {
    const { accessToken, expiresIn } = await signAccessToken(key, { userId, role: 'admin' });
    expect(expiresIn).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(await verify(accessToken)).toEqual({ userId, role: 'admin' });
  });

  it('signs with kid, iss, aud, sub, role, iat and exp at most 15 minutes ahead', async () => {
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    const [header, payload] = accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part!, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', kid: key.kid });
    expect(payload).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, role: 'customer' });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(15 * 60);
  });

  it('publishes no private member in the public key', () => {
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: key.kid });
  });

  it('refuses alg none', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, role: 'admin', iat: now(), exp: now() + 60 })}.`;
    expect(await refusal(token)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('refuses an HMAC token whose secret is the public key', async () => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: key.kid });
    const body = b64({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, role: 'admin', iat: now(), exp: now() + 60 });
    const signature = createHmac('sha256', JSON.stringify(key.publicJwk)).update(`${head}.${body}`).digest('base64url');
    expect(await refusal(`${head}.${body}.${signature}`)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('refuses a tampered payload', async () => {
    const [head, , signature] = (await signed({})).split('.');
    const forged = b64({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: userId, role: 'admin', iat: now(), exp: now() + 600 });
    expect(await refusal(`${head}.${forged}.${signature}`)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it.each([
    ['an expired token', { iat: now() - 1200, exp: now() - 600 }],
    ['nbf in the future', { nbf: now() + 600 }],
    ['a wrong iss', { iss: 'someone-else' }],
    ['a wrong aud', { aud: 'another-api' }],
    ['an unknown role', { role: 'root' }],
    ['a sub that is not a user id', { sub: 'admin' }],
    ['an iat older than a token lives', { iat: now() - 3600, exp: now() + 600 }],
  ])('refuses %s', async (_case, claims) => {
    expect(await refusal(await signed(claims))).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(await signed({}, {}, ['exp']))).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('refuses an unknown kid', async () => {
    expect(await refusal(await signed({}, { kid: 'not-a-key-we-know' }))).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('refuses a token signed by another key with the same kid', async () => {
    const other = await generateSigningKey();
    const token = await signAccessToken({ ...other, kid: key.kid, privateJwk: { ...other.privateJwk, kid: key.kid } }, { userId, role: 'admin' });
    expect(await refusal(token.accessToken)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it.each(['', 'garbage', 'a.b.c', `${b64({ alg: 'EdDSA' })}.${b64('[]')}.x`, '....'])('refuses garbage: %j', async (token) => {
    expect(await refusal(token)).toEqual({ status: 401, code: 'invalid_token' });
  });
});

describe('tokens already verified', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are answered from memory, and refused once expired as any other', async () => {
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    expect((await verify(accessToken)).userId).toBe(userId);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 11) * 1000 });
    expect(await refusal(accessToken)).toEqual({ status: 401, code: 'invalid_token' });
  });

  it('never stand in for a token that differs by a character', async () => {
    const { accessToken } = await signAccessToken(key, { userId, role: 'customer' });
    await verify(accessToken);
    const [head, payload, signature] = accessToken.split('.');
    const flipped = `${head}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(flipped)).toEqual({ status: 401, code: 'invalid_token' });
  });
});
