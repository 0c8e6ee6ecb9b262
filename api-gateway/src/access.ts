import type { RequestHandler } from 'express';
import { forbidden, requireCaller } from '@shopstack/auth';
import { servicePath } from './forward.js';

// Reads: public on the catalogue, and never a use of the refresh cookie (sameOriginCookieUse).
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What anyone may call without a token, by the path the service will see (what pathUnder
 * gives). The rest of /api/auth, /api/status and the API reference are public too, but are
 * not behind the mounts this guards. Who may do what once signed in is each service's call.
 */
const PUBLIC_ROUTES: ReadonlyArray<{ methods: ReadonlySet<string>; path: RegExp }> = [
  { methods: SAFE_METHODS, path: /^\/products(\/[^/]+)?\/?$/i },
  { methods: new Set(['POST']), path: /^\/users\/?$/i },
];

export function isPublicRoute(method: string, path: string): boolean {
  const pathname = path.split('?')[0]!;
  return PUBLIC_ROUTES.some((route) => route.methods.has(method) && route.path.test(pathname));
}

/**
 * For a mount forwarding to `basePath`: an anonymous request to anything but a public route
 * is a 401 with `WWW-Authenticate: Bearer` here, before any service is called. A path that
 * would leave `basePath` is never public (forwardTo refuses it after this).
 */
export function signedInUnlessPublic(basePath: string): RequestHandler {
  return (req, _res, next) => {
    const path = servicePath(req, basePath);
    if (path === undefined || !isPublicRoute(req.method, path)) requireCaller(req);
    next();
  };
}

/** Whether an Origin header names another host than the one the request was sent to. */
function isOtherOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return true;
  let from: URL;
  let to: URL;
  try {
    // `Origin: null` (a sandboxed frame, a redirect across sites) does not parse: refused.
    from = new URL(origin);
    to = new URL(`${from.protocol}//${host}`);
  } catch {
    return true;
  }
  // nginx passes `Host: $host`, without the port: then the host names alone are compared.
  const hostHasPort = /:\d+$/.test(host);
  return from.hostname !== to.hostname || (hostHasPort && from.port !== to.port);
}

/**
 * /api/auth acts on the refresh token cookie, which a browser sends by itself. SameSite=Strict
 * already keeps it from other sites' requests; this refuses them outright too (for browsers
 * that do not send Sec-Fetch-Site, by Origin), so that neither refresh nor logout can be
 * triggered by another page. Every unsafe method is covered rather than two paths: the router
 * matches paths without regard to case, trailing slashes or dot segments, and a forged login
 * (into someone else's account) is refused along the way. curl and servers send neither
 * header and pass.
 */
export const sameOriginCookieUse: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && isOtherOrigin(origin, req.headers.host))) {
    throw forbidden('This must be sent from the shop’s own pages');
  }
  next();
};
