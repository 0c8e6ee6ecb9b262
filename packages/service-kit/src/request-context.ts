import type { IncomingMessage } from 'node:http';
import type { Logger } from '@shopstack/logger';

/** What work done for a request carries along: its id, and the logger that already holds it. */
export interface RequestContext {
  requestId: string;
  log: Logger;
}

/**
 * The one way to get a request's context. The request logger (first in every app, see
 * createServiceApp) sets both: `req.id` from requestIdFor, `req.log` a child logger with it.
 */
export function requestContext(req: IncomingMessage): RequestContext {
  return { requestId: String(req.id), log: req.log };
}
