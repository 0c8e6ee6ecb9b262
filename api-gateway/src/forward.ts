import type { Request, RequestHandler, Response } from 'express';
import type { CallOptions, ServiceClient, ServiceRequest, ServiceResponse } from '@shopstack/http-client';

// Only what the services need from the client, and only what the client needs back.
const REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key'] as const;
const RESPONSE_HEADERS = ['location', 'x-cache', 'retry-after', 'idempotent-replayed', 'age'] as const;
const METHODS = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The downstream request for an incoming one: same method, headers we pass on and body, to `path`. */
export function downstreamRequest(req: Request, path: string): ServiceRequest | undefined {
  if (!METHODS.has(req.method)) return undefined;
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    method: req.method as ServiceRequest['method'],
    path,
    headers,
    // express.raw gives a Buffer for a request with a body and leaves it unset otherwise.
    body: Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined,
    requestId: typeof req.id === 'string' ? req.id : undefined,
  };
}

export function sendDownstreamResponse(res: Response, response: ServiceResponse): void {
  for (const name of RESPONSE_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) res.set(name, value);
  }
  res.status(response.status);
  if (response.data === undefined || response.data === '') res.end();
  else if (typeof response.data === 'string') res.type(response.headers['content-type'] ?? 'text/plain').send(response.data);
  else res.json(response.data);
}

/** Forwards whatever reaches this mount point to one service, through its client. */
export function forwardTo(client: ServiceClient, basePath: string, options: Omit<CallOptions<unknown>, 'log'> = {}): RequestHandler {
  return async (req, res, next) => {
    // Inside app.use('/api/users', …) req.url is what follows the mount point: "/", "/42?x=1", "/?x=1".
    const rest = req.url === '/' ? '' : req.url.startsWith('/?') ? req.url.slice(1) : req.url;
    const request = downstreamRequest(req, `${basePath}${rest}`);
    if (!request) return next();
    sendDownstreamResponse(res, await client.request(request, { ...options, log: req.log }));
  };
}
