import type { IncomingMessage, ServerResponse } from 'node:http';
import { v4 as uuidv4 } from 'uuid';

// The same rule nginx applies: anything else is replaced, so an id can never smuggle
// log-breaking characters or megabytes into every log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

/** Keeps the caller's X-Request-ID when it is sane, otherwise makes one; echoes it back. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = isValidRequestId(incoming) ? incoming : uuidv4();
  res.setHeader('X-Request-ID', id);
  return id;
}
