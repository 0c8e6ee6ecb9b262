import type { IncomingMessage } from 'node:http';
import { AppError } from '@shopstack/errors';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sent a request, as its access token says: the user's id and role. */
export interface Caller {
  userId: string;
  role: Role;
  /** The login (a browser, a device) the token was issued to: its `sid` claim. */
  loginId?: string;
}

// Set once per request by `authenticate`, read by the routes; a WeakMap rather than a new
// field on Express's Request, so nothing else can set it (a header never becomes a caller).
const callers = new WeakMap<IncomingMessage, Caller>();

export function setCaller(req: IncomingMessage, caller: Caller): void {
  callers.set(req, caller);
}

/** The request's caller, or undefined for an anonymous one. */
export function callerOf(req: IncomingMessage): Caller | undefined {
  return callers.get(req);
}

/** 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3): the request needs a token and has none. */
export function unauthenticated(message = 'Sign in first: this needs a valid access token'): AppError {
  return new AppError(401, 'unauthorized', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="shopstack"' },
  });
}

/** 401 for a token that is there but not valid (expired, forged, for another audience…). */
export function invalidToken(cause?: unknown): AppError {
  return new AppError(401, 'invalid_token', 'The access token is invalid or has expired', {
    headers: { 'WWW-Authenticate': 'Bearer realm="shopstack", error="invalid_token"' },
    cause,
  });
}

/** 403: the caller is known, and may not do this. */
export function forbidden(message = 'You may not do this'): AppError {
  return new AppError(403, 'forbidden', message);
}

/** The caller, or a 401 for an anonymous request. */
export function requireCaller(req: IncomingMessage): Caller {
  const caller = callers.get(req);
  if (!caller) throw unauthenticated();
  return caller;
}

/** The caller when an admin; a 401 for an anonymous request, a 403 for a customer. */
export function requireAdmin(req: IncomingMessage): Caller {
  const caller = requireCaller(req);
  if (caller.role !== 'admin') throw forbidden('Only an admin may do this');
  return caller;
}
