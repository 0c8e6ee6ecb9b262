import type { Request, RequestHandler, Response } from 'express';
import type { ServiceClient, ServiceRequest, ServiceResponse } from '@shopstack/http-client';
import { requestContext } from '@shopstack/service-kit';

// Only what the services need from the client, and only what the client needs back. No
// identity header a client makes up (X-User-Id and the like) is ever on this list: who
// calls is what the bearer token says, and each service verifies it again.
const REQUEST_HEADERS = ['content-type', 'accept', 'if-none-match'] as const;
// Cache-Control: a token answer must say `no-store` all the way to the browser (RFC 6749 §5.1).
// www-authenticate: a service's own 401 (a token that expired on the way) keeps its challenge.
const RESPONSE_HEADERS = ['location', 'x-cache', 'retry-after', 'idempotent-replayed', 'age', 'allow', 'etag', 'cache-control', 'www-authenticate'] as const;
const METHODS = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** What a mount passes on besides the usual headers. */
export interface Forwarding {
  /** Authorization (the bearer token): everywhere but /api/auth, whose routes need none. */
  bearer?: boolean;
  /** Cookie in and Set-Cookie out: only /api/auth, the refresh token cookie's own path. */
  cookies?: boolean;
  /** X-Forwarded-For, the client's address as the gateway saw it: users limits logins per address. */
  clientAddress?: boolean;
}

/** The downstream request for an incoming one: same method, headers we pass on and body, to `path`. */
export function downstreamRequest(req: Request, path: string, { bearer = true, cookies = false, clientAddress = false }: Forwarding = {}): ServiceRequest | undefined {
  if (!METHODS.has(req.method)) return undefined;
  const headers: Record<string, string> = {};
  const names = [...REQUEST_HEADERS, ...(bearer ? ['authorization'] : []), ...(cookies ? ['cookie'] : [])];
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // Replaces whatever the client sent: req.ip is the address the trusted proxy saw.
  if (clientAddress && req.ip) headers['x-forwarded-for'] = req.ip;
  const idempotencyKey = req.headers['idempotency-key'];
  return {
    method: req.method as ServiceRequest['method'],
    path,
    headers,
    // Passed on, and it makes the client willing to retry a POST that carries one.
    ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
    // express.raw gives a Buffer for a request with a body and leaves it unset otherwise.
    body: Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined,
    requestId: requestContext(req).requestId,
  };
}

/**
 * The path under `basePath` for what followed the mount point, normalised the way the HTTP
 * client will send it; undefined when it would leave `basePath` (`..`, `%2e%2e`, `\`), so
 * that no client can reach a service's internal routes, such as products' reservations.
 */
export function pathUnder(basePath: string, rest: string): string | undefined {
  const target = new URL(`${basePath}${rest}`, 'http://downstream');
  const inside = target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
  return inside ? `${target.pathname}${target.search}` : undefined;
}

/** The path a request mounted at app.use(mount, …) goes to under `basePath`, as pathUnder gives it. */
export function servicePath(req: Request, basePath: string): string | undefined {
  // Inside app.use('/api/users', …) req.url is what follows the mount point: "/", "/42?x=1", "/?x=1".
  const rest = req.url === '/' ? '' : req.url.startsWith('/?') ? req.url.slice(1) : req.url;
  return pathUnder(basePath, rest);
}

/** The service's answer, passed on as it came: its status, the headers clients need, its bytes. */
export function sendDownstreamResponse(res: Response, response: ServiceResponse, { cookies = false }: Forwarding = {}): void {
  for (const name of RESPONSE_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  // Each cookie its own header line: a browser reads a joined one as a single cookie.
  if (cookies && response.setCookie.length > 0) res.setHeader('set-cookie', response.setCookie);
  // The services answer with their own paths (/users/…); clients know them under /api.
  const location = response.headers['location'];
  if (location?.startsWith('/')) res.setHeader('location', `/api${location}`);
  // A HEAD answer has no body but the Content-Type and length a GET would have (RFC 9110 §9.3.2).
  const type = response.headers['content-type'];
  if (type) res.setHeader('content-type', type);
  const length = response.headers['content-length'];
  if (res.req.method === 'HEAD' && length) res.setHeader('content-length', length);
  res.status(response.status).end(response.body);
}

/** Forwards whatever reaches this mount point to one service, through its client. */
export function forwardTo(client: ServiceClient, basePath: string, forwarding: Forwarding = {}): RequestHandler {
  return async (req, res, next) => {
    const path = servicePath(req, basePath);
    const request = path === undefined ? undefined : downstreamRequest(req, path, forwarding);
    if (!request) return next();
    sendDownstreamResponse(res, await client.request(request, { log: requestContext(req).log }), forwarding);
  };
}
