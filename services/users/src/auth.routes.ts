import type { CookieOptions, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { loginBody } from '@shopstack/api-contract';
import { requestContext, type Routes } from '@shopstack/service-kit';
import type { Session, Sessions } from './sessions.domain.js';
import type { SigningKeys } from '@shopstack/key-store';

const REFRESH_COOKIE = 'refresh_token';

export interface RefreshCookieSettings {
  ttlSeconds: number;
  /** Only sent back over HTTPS: on once the stack is served over TLS. */
  secure: boolean;
}

/**
 * /auth: log in, refresh, log out, and the public keys. The refresh token travels only in a
 * cookie that scripts cannot read (HttpOnly), that no other site can make a browser send
 * (SameSite=Strict), and that goes only to these routes (Path=/api/auth, the public path).
 */
export function authRoutes(sessions: Sessions, keys: SigningKeys, cookie: RefreshCookieSettings): Routes {
  const options: CookieOptions = { httpOnly: true, sameSite: 'strict', path: '/api/auth', secure: cookie.secure };

  function sendSession(res: Response, { accessToken, expiresIn, refreshToken }: Session): void {
    // A token response is never stored by a cache (RFC 6749 §5.1).
    res.set('Cache-Control', 'no-store');
    res.cookie(REFRESH_COOKIE, refreshToken, { ...options, maxAge: cookie.ttlSeconds * 1000 });
    res.json({ accessToken, tokenType: 'Bearer', expiresIn });
  }

  const refreshTokenOf = (header: string | undefined) => (header ? parseCookies(header)[REFRESH_COOKIE] : undefined);

  return {
    '/login': {
      post: async (req, res) => {
        // req.ip: the client's address as the gateway saw it (X-Forwarded-For, one trusted hop).
        sendSession(res, await sessions.login(loginBody.parse(req.body), req.ip ?? 'unknown'));
      },
    },
    '/refresh': {
      post: async (req, res) => {
        try {
          sendSession(res, await sessions.refresh(refreshTokenOf(req.headers.cookie)));
        } catch (error) {
          res.clearCookie(REFRESH_COOKIE, options);
          requestContext(req).log.warn({ code: (error as { code?: string }).code }, 'refresh refused');
          throw error;
        }
      },
    },
    '/logout': {
      post: async (req, res) => {
        await sessions.logout(refreshTokenOf(req.headers.cookie));
        res.clearCookie(REFRESH_COOKIE, options).status(204).end();
      },
    },
    '/jwks.json': {
      get: async (_req, res) => {
        // Short: a rotated key must reach every verifier well within a token's 15 minutes.
        res.set('Cache-Control', 'public, max-age=60').json(await keys.publicKeys());
      },
    },
  };
}
