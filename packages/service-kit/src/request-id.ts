import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { v4 as uuidv4 } from 'uuid';

// The same rule nginx applies: anything else is replaced, so an id can never smuggle
// log-breaking characters or megabytes into every log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

/** The caller's X-Request-ID when it is sane, otherwise a new one: the one place ids are made. */
export function requestIdFrom(headers: IncomingHttpHeaders | Record<string, unknown> | undefined): string {
  const incoming = headers?.['x-request-id'];
  return isValidRequestId(incoming) ? incoming : uuidv4();
}

/** The request's id (see requestIdFrom), echoed back on the response. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdFrom(req.headers);
  res.setHeader('X-Request-ID', id);
  return id;
}
