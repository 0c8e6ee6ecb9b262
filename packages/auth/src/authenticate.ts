import type { RequestHandler } from 'express';
import { invalidToken, setCaller } from './caller.js';
import type { TokenVerifier } from './verify-token.js';

/**
 * Reads `Authorization: Bearer <token>`: a valid token makes its caller the request's
 * (see callerOf), an invalid one is a 401 at once, and no header leaves the request
 * anonymous for the routes to allow or refuse. Nothing else a client sends (an
 * X-User-Id, say) can make a caller.
 */
export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) return next();
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (!match) throw invalidToken();
    setCaller(req, await verify(match[1]!));
    next();
  };
}
