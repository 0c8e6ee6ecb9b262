import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { AppError } from '@shopstack/errors';
import { invalidToken, ROLES, type Caller, type Role } from './caller.js';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token-settings.js';

/** Finds the public key for a token's header (`kid`): a JWKS fetched from users, or users' own keys. */
export type KeyLookup = JWTVerifyGetKey;

/** Turns a bearer token into its caller, or throws a 401 AppError (a 503 when no key can be had). */
export type TokenVerifier = (token: string) => Promise<Caller>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Tokens already verified, by their exact text, until they expire: a client sends the same
// token with every request for up to 15 minutes, and checking its signature again each time
// is most of what authentication costs (see the README's Performance section). Only valid
// tokens are kept, and only a signature of the users service makes one, so nobody can fill
// it with made-up entries; bounded all the same.
const VERIFIED_TOKENS = 10_000;

export function createTokenVerifier(keys: KeyLookup): TokenVerifier {
  return createVerifier<Caller>(
    keys,
    { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, maxTokenAge: ACCESS_TOKEN_TTL_SECONDS },
    ({ sub, role, sid }) => {
      if (typeof sub !== 'string' || !UUID.test(sub) || !ROLES.includes(role as Role)) return undefined;
      return { userId: sub, role: role as Role, ...(typeof sid === 'string' ? { loginId: sid } : {}) };
    },
  );
}

/** What a kind of token must say: who signs it (`iss`), for whom (`aud`), how old it may be. */
export interface TokenClaims {
  issuer: string;
  audience: string;
  /** When only one subject is valid: a service token's `sub` is the service that signed it. */
  subject?: string;
  maxTokenAge: number;
}

/**
 * Verifies tokens of one kind with `keys`, and reads what they say with `read` (undefined
 * refuses the token): a 401 AppError for any token that is not valid, a 503 when no key can
 * be had. Access tokens and service tokens (service-tokens.ts) are both checked here.
 */
export function createVerifier<T>(keys: KeyLookup, claims: TokenClaims, read: (payload: JWTPayload) => T | undefined): (token: string) => Promise<T> {
  const verified = new LRUCache<string, { result: NonNullable<T>; until: number }>({ max: VERIFIED_TOKENS });

  return async (token) => {
    const known = verified.get(token);
    if (known && Date.now() < known.until) return known.result;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        // Pinned: a token that names another algorithm (`none`, HS256 with the public key as
        // its secret) is refused before any key is looked at.
        algorithms: [TOKEN_ALGORITHM],
        ...claims,
        requiredClaims: ['sub', 'iat', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      // The keys could not be had at all (users down before the first fetch): not the
      // caller's fault, and worth a retry.
      if (error instanceof KeysUnavailable) throw AppError.unavailable('auth_unavailable', 'Tokens cannot be checked right now', 5, error);
      // Anything else that is not about the token (users' own database down) is the error middleware's.
      if (!(error instanceof errors.JOSEError)) throw error;
      throw invalidToken(error);
    }
    const result = read(payload);
    if (result === undefined || result === null) throw invalidToken();
    // Kept until it expires, as jwtVerify would see it then (exp plus the clock tolerance).
    const until = (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000;
    if (until > Date.now()) verified.set(token, { result, until }, { ttl: until - Date.now() });
    return result;
  };
}

/** The JWKS could not be fetched, nor was one fetched before. */
class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

// What a JWKS lookup throws about the token itself; anything else is about getting the keys.
const ABOUT_THE_TOKEN = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported];

/** Keys known in advance (the users service's own, a test's). */
export function localKeys(jwks: JSONWebKeySet): KeyLookup {
  return createLocalJWKSet(jwks);
}

// At most one JWKS fetch a second for kids it does not know: forged ones cannot make it call
// users per request, and a key rotated in waits at most this long to be fetched.
const COOLDOWN_MS = 1000;
// After a failed fetch, the last keys serve without asking users again for this long: a
// users outage costs one slow request per 30 s, not every request.
const AFTER_FAILURE_MS = 30_000;

/**
 * The public keys at `jwksUrl` (the users service's JWKS, or orders'), cached: fetched on
 * first use, again at most every 10 minutes, and for a `kid` it does not know (a rotated key),
 * after the cooldown above if a fetch just happened. While their publisher cannot be reached,
 * the last keys fetched are used. With `prefetch`, they are fetched at once and until they
 * are had, so that the first token to check finds them here.
 */
export function remoteKeys(jwksUrl: string, { prefetch = false }: { prefetch?: boolean } = {}): KeyLookup {
  const remote = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: COOLDOWN_MS, cacheMaxAge: 10 * 60_000, timeoutDuration: 2000 });
  let failedAt = -Infinity;
  if (prefetch) fetchUntilFetched(() => remote.reload());

  const fetched: KeyLookup = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !remote.coolingDown) throw error;
      // A key made a moment ago, asked for just after the last fetch: wait out the cooldown once.
      await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS));
      return remote(header, token);
    }
  };

  return async (header, token) => {
    const last = remote.jwks();
    if (last && Date.now() - failedAt < AFTER_FAILURE_MS) return createLocalJWKSet(last)(header, token);
    try {
      return await fetched(header, token);
    } catch (error) {
      if (ABOUT_THE_TOKEN.some((type) => error instanceof type)) throw error;
      failedAt = Date.now();
      if (last) return createLocalJWKSet(last)(header, token);
      throw new KeysUnavailable(`no keys from ${jwksUrl}`, { cause: error });
    }
  };
}

// Why fetch before the first token: the publisher may be unreachable just when its token
// arrives. Orders, stopping, closes its port and then finishes its last orders, whose
// reservations products checks with orders' keys: never fetched, they could not be had.
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30_000;

/** Calls `fetch` now, and again after a failure (1 s, doubling up to 30 s) until it succeeds. */
function fetchUntilFetched(fetch: () => Promise<unknown>, delayMs = FIRST_RETRY_MS): void {
  fetch().catch(() => setTimeout(() => fetchUntilFetched(fetch, Math.min(delayMs * 2, LAST_RETRY_MS)), delayMs).unref());
}
