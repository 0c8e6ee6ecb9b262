import type { Request } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from './authenticate.js';
import { callerOf, requireCaller } from './caller.js';
import { generateSigningKey, signAccessToken } from './signing-keys.js';
import { createTokenVerifier, localKeys } from './verify-token.js';

const userId = '0190f2d4-7b1c-7cc3-8e5a-3f9b1f4d2a11';
const INVALID_TOKEN = { status: 401, code: 'invalid_token', challenge: 'Bearer realm="shopstack", error="invalid_token"' };

let token: string;
let handler: ReturnType<typeof authenticate>;

beforeAll(async () => {
  const key = await generateSigningKey();
  handler = authenticate(createTokenVerifier(localKeys({ keys: [key.publicJwk] })));
  ({ accessToken: token } = await signAccessToken(key, { userId, role: 'customer' }));
});

/** Runs the middleware on a request carrying `authorization`: the caller it made, or how it refused. */
async function authenticated(authorization: string | undefined) {
  const req = { headers: authorization === undefined ? {} : { authorization } } as Request;
  let passedOn = false;
  try {
    await handler(req, {} as never, () => {
      passedOn = true;
    });
  } catch (error) {
    const { status, code, headers } = error as { status: number; code: string; headers: Record<string, string> };
    return { refused: { status, code, challenge: headers['WWW-Authenticate'] }, req, passedOn };
  }
  return { caller: callerOf(req), req, passedOn };
}

describe('authenticate: the Authorization header', () => {
  // `valid` stands for the token signed above: the rows are built before it exists.
  it.each<[string, (valid: string) => string]>([
    ['a valid token', (valid) => `Bearer ${valid}`],
    // RFC 9110 §11.1: the scheme is case-insensitive.
    ['a lower-case scheme', (valid) => `bearer ${valid}`],
    ['an upper-case scheme', (valid) => `BEARER ${valid}`],
  ])('makes the token’s caller of %s', async (_case, header) => {
    const { caller, passedOn } = await authenticated(header(token));
    expect(caller).toEqual({ userId, role: 'customer' });
    expect(passedOn).toBe(true);
  });

  // Each is a 401 invalid_token with its challenge, before the route runs, and no caller is set.
  it.each<[string, (valid: string) => string]>([
    ['the scheme alone', () => 'Bearer'],
    ['the scheme and a space', () => 'Bearer '],
    ['two spaces before the token', (valid) => `Bearer  ${valid}`],
    ['a tab before the token', (valid) => `Bearer\t${valid}`],
    ['two words for a token', () => 'Bearer a b'],
    ['a valid token and more', (valid) => `Bearer ${valid} x`],
    ['a valid token and a trailing space', (valid) => `Bearer ${valid} `],
    ['two tokens, comma-joined', (valid) => `Bearer ${valid}, Bearer ${valid}`],
    ['an empty value', () => ''],
    ['Basic credentials', () => 'Basic Zm9vOmJhcg=='],
    ['a token with no scheme', (valid) => valid],
    ['another scheme that starts like it', (valid) => `Bearers ${valid}`],
    ['a token that is not a JWT', () => 'Bearer not.a.token'],
  ])('refuses %s: 401 invalid_token', async (_case, header) => {
    const { refused, req, passedOn } = await authenticated(header(token));
    expect(refused).toEqual(INVALID_TOKEN);
    expect(callerOf(req)).toBeUndefined();
    expect(passedOn).toBe(false);
  });

  it('leaves a request without the header anonymous: a route that needs a caller answers 401 unauthorized', async () => {
    const { caller, req, passedOn } = await authenticated(undefined);
    expect(caller).toBeUndefined();
    expect(passedOn).toBe(true);
    expect(() => requireCaller(req)).toThrow(
      expect.objectContaining({ status: 401, code: 'unauthorized', headers: { 'WWW-Authenticate': 'Bearer realm="shopstack"' } }),
    );
  });
});
