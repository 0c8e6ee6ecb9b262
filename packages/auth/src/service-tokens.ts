import { importJWK, SignJWT } from 'jose';
import type { RequestHandler } from 'express';
import { invalidToken, unauthenticated } from './caller.js';
import type { SigningKey } from './signing-keys.js';
import { TOKEN_ALGORITHM } from './token-settings.js';
import { createVerifier, type KeyLookup } from './verify-token.js';

/**
 * A service token says which service sends a call (`iss` and `sub`) and which one it is for
 * (`aud`): orders' to products is `{ from: 'orders', to: 'products' }`. It is signed with
 * the sender's own key, which no other container holds, and lives a minute.
 */
export interface ServiceIdentity {
  from: string;
  to: string;
}

export const SERVICE_TOKEN_TTL_SECONDS = 60;
// A token is signed again once less than this is left of it: one sent now is still valid
// when it arrives, retries included (RETRY_DEADLINE_MS is a few seconds).
const RENEW_BEFORE_SECONDS = 20;

/** The Authorization header value for the next call: the same token for ~40 s, then a new one. */
export type ServiceTokenSource = () => Promise<string>;

/**
 * Signs service tokens with `currentKey()`'s key, one at a time: a token is reused until
 * it nears its end, not signed per call, and concurrent callers share one signing. The key
 * is read again at each signing, so a rotated key is in use within a minute.
 */
export function serviceTokenSource(currentKey: () => Promise<SigningKey>, { from, to }: ServiceIdentity): ServiceTokenSource {
  let latest: { header: string; renewAt: number } | undefined;
  let signing: Promise<{ header: string; renewAt: number }> | undefined;

  async function sign(): Promise<{ header: string; renewAt: number }> {
    const key = await currentKey();
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(from)
      .setSubject(from)
      .setAudience(to)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + SERVICE_TOKEN_TTL_SECONDS)
      .sign(await importJWK(key.privateJwk, TOKEN_ALGORITHM));
    return { header: `Bearer ${token}`, renewAt: (issuedAt + SERVICE_TOKEN_TTL_SECONDS - RENEW_BEFORE_SECONDS) * 1000 };
  }

  return async () => {
    if (latest && Date.now() < latest.renewAt) return latest.header;
    // A failed signing (the database away) is not kept: the next call tries again.
    signing ??= sign()
      .then((signed) => (latest = signed))
      .finally(() => (signing = undefined));
    return (await signing).header;
  };
}

/** Checks a service token; throws a 401 AppError unless it is valid and from `from` for `to`. */
export type ServiceTokenVerifier = (token: string) => Promise<string>;

/**
 * Verifies service tokens with `keys`, the sender's public keys (its JWKS): EdDSA only,
 * `iss` and `sub` the sender, `aud` this service, at most a minute old.
 */
export function createServiceTokenVerifier(keys: KeyLookup, { from, to }: ServiceIdentity): ServiceTokenVerifier {
  return createVerifier(keys, { issuer: from, subject: from, audience: to, maxTokenAge: SERVICE_TOKEN_TTL_SECONDS }, ({ sub }) => sub);
}

/**
 * For routes meant for one service only (products' reservations, for orders): a request
 * without that service's token is a 401 before anything else. A user's token, even an
 * admin's, is not one: it is signed by another key, for another audience.
 */
export function requireServiceToken(verify: ServiceTokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) throw unauthenticated('This route is for another service: it needs that service’s token');
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (!match) throw invalidToken();
    await verify(match[1]!);
    next();
  };
}
