// The machinery of the bad-input sweep: a case is a request and the answers it may get;
// sweep() sends each case (through fetch, node:http or raw TCP) and lists what went wrong.
import { connect } from 'node:net';
import { unique, type Signed } from '../shop.js';
import { admin, nginxPort, rawRequest } from './stack.js';

/** One acceptable answer; `code` is the error code (absent for a 2xx or a bodiless answer). */
export interface Expect { status: number; code?: string; allow?: string }
export interface Case {
  name: string; method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; expect: Expect | Expect[];
  /** Bytes written as-is over TCP, for what node:http refuses to send; read for at most `waitMs`. */
  wire?: string; waitMs?: number;
  /** What X-Request-ID must be (it must always be sane, and equal the body's requestId). */
  requestId?: string | RegExp;
  /** Who sends it, when not the one callerOf picks. */
  as?: Caller;
}
export type Caller = 'anonymous' | 'customer' | 'admin';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON off the wire; each case asserts the shape it needs
export interface Answer { status: number; headers: Headers; text: string; body: any }
export type Ids = { user: string; product: string; spare: string; order: string };
export type CreatePath = '/api/users' | '/api/products' | '/api/orders';

export const e = (status: number, code?: string): Expect => ({ status, code });
export const INVALID = e(400, 'validation_failed');
export const INVALID_JSON = e(400, 'invalid_json');
export const MALFORMED = e(400, 'bad_request'); // nginx's own refusal, or a body the gateway cannot decode
export const NOT_FOUND = e(404, 'not_found');
export const NOT_ALLOWED = e(405, 'method_not_allowed');
export const MISDIRECTED = e(421, 'misdirected_request'); // a host nginx does not serve
export const TOO_LARGE = e(413, 'payload_too_large');
export const BAD_CHARSET = e(415, 'unsupported_charset');
export const [OK, CREATED] = [e(200), e(201)];
export const JSON_TYPE = { 'content-type': 'application/json' };
export const CREATES: CreatePath[] = ['/api/users', '/api/products', '/api/orders'];
export const RESOURCES = ['users', 'products', 'orders'] as const;
export const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|TypeError|ReferenceError|SyntaxError: /;
export const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const NGINX_ID = /^[0-9a-f]{32}$/;

export const post = (name: string, path: string, body: unknown, expect: Case['expect'], headers: Record<string, string> = JSON_TYPE): Case => ({
  name, method: 'POST', path, headers, expect, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
export const request = (method: string, path: string, expect: Case['expect'], extra: Partial<Case> = {}): Case =>
  ({ name: `${method} ${path.slice(0, 60)}`, method, path, expect, ...extra });
/** A request written over TCP: the head's lines, then `body`; the connection closes after the answer. */
export const wire = (name: string, head: string[], body: string, expect: Case['expect'], extra: Partial<Case> = {}): Case =>
  ({ name, method: head[0]!.split(' ')[0]!, path: '', wire: `${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`, expect, ...extra });
export const postWire = (name: string, headers: string[], body: string, expect: Expect, extra: Partial<Case> = {}) =>
  wire(name, ['POST /api/users HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', ...headers], body, expect, extra);
/** A valid body for a create route; a fresh email each call, so that no accepted case collides with another (email_taken). */
export const valid = (path: CreatePath, ids: Ids): Record<string, unknown> =>
  path === '/api/users' ? { email: `valid.${unique()}@example.com`, name: 'Valid', password: 'a valid password' }
  : path === '/api/products' ? { name: 'Valid', priceCents: 100, stock: 1 }
  : { userId: ids.user, items: [{ productId: ids.spare, quantity: 1 }] };
export const withUserId = (resource: string, query: string, ids: Ids) => `/api/${resource}?${query}${resource === 'orders' ? `&userId=${ids.user}` : ''}`;

/** The answer to `bytes` written over TCP, read until nginx closes or `waitMs` pass (status 0: nothing came). */
export async function overTcp(bytes: string, waitMs = 10_000): Promise<Answer> {
  const port = await nginxPort();
  const raw = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(bytes, 'latin1')));
    const done = () => { clearTimeout(timer); socket.destroy(); resolve(Buffer.concat(chunks)); };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk)).on('close', done).on('error', done);
  });
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.subarray(0, split < 0 ? raw.length : split).toString('latin1').split('\r\n');
  const headers = new Headers();
  for (const [, name, value] of lines.map((line) => /^([^:]+):\s*(.*)$/.exec(line) ?? [])) if (name) headers.append(name, value ?? '');
  const text = split < 0 ? '' : raw.subarray(split + 4).toString('utf8');
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON: problemsWith says so */ }
  return { status: Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1] ?? 0), headers, text, body };
}

/**
 * Who sends a case, unless it says: the least caller each route lets through, so that the
 * answer is to the bad input and not a 401 or 403. Signing up and reading products are
 * anonymous, orders are the customer's, the rest (users, product writes, any other path
 * under /api/) the admin's. Bytes written over TCP carry no token.
 */
export function callerOf(c: Case): Caller {
  if (c.as) return c.as;
  if (c.wire !== undefined || !c.path.startsWith('/api/')) return 'anonymous';
  if (c.path.startsWith('/api/orders')) return 'customer';
  if (c.path.startsWith('/api/products')) return c.method === 'GET' || c.method === 'HEAD' ? 'anonymous' : 'admin';
  return c.path.startsWith('/api/users') && c.method === 'POST' ? 'anonymous' : 'admin';
}

/** Everything wrong with one answer; empty when it is right. */
export function problemsWith(c: Case, res: Answer): string[] {
  const expected = [c.expect].flat();
  const error = res.body?.error;
  const match = expected.find((x) => x.status === res.status && (x.code === undefined || x.code === error?.code));
  const wanted = expected.map((x) => `${x.status} ${x.code ?? ''}`.trim()).join(' or ');
  const problems = match ? [] : [`got ${res.status} ${error?.code ?? res.text.slice(0, 80)}, want ${wanted}`];
  const id = res.headers.get('x-request-id') ?? '';
  if (!SANE_ID.test(id)) problems.push(`X-Request-ID ${JSON.stringify(id)}`);
  const idWanted = c.requestId === undefined || (typeof c.requestId === 'string' ? id === c.requestId : c.requestId.test(id));
  if (!idWanted) problems.push(`X-Request-ID ${id}, want ${c.requestId}`);
  // HEAD carries the headers a GET would (RFC 9110 §9.3.2), Content-Type included; only a 204 has none.
  const type = res.headers.get('content-type');
  if (res.status !== 204 && !type?.startsWith('application/json')) problems.push(`content-type ${type}`);
  const bodiless = c.method === 'HEAD' || res.status === 204;
  if (bodiless && res.text !== '') problems.push(`a body: ${res.text.slice(0, 80)}`);
  if (match?.allow !== undefined && res.headers.get('allow') !== match.allow) problems.push(`Allow ${res.headers.get('allow')}, want ${match.allow}`);
  if (res.status >= 400 && !bodiless) {
    const shaped = Object.keys(res.body ?? {}).join() === 'error' && typeof error?.code === 'string' && typeof error.message === 'string' &&
      Object.keys(error).every((key) => ['code', 'message', 'requestId', 'details'].includes(key)) && ['undefined', 'object'].includes(typeof error.details);
    if (!shaped) problems.push(`not the error shape: ${res.text.slice(0, 120)}`);
    else if (error.requestId !== id) problems.push(`body requestId ${error.requestId} but header ${id}`);
  }
  if (STACK_TRACE.test(res.text)) problems.push(`internals: ${res.text.slice(0, 120)}`);
  return problems;
}

/**
 * Sends every case in turn, with the token of its caller (callerOf), and returns every
 * mismatch, so that one run shows them all.
 */
export async function sweep(cases: Case[], customer: Signed): Promise<string[]> {
  const mismatches: string[] = [];
  for (const c of cases) {
    const caller = callerOf(c);
    const signed = caller === 'customer' ? customer : caller === 'admin' ? await admin() : undefined;
    // Merged as they are: Headers would trim the odd values some cases send.
    const headers = signed ? { ...signed.auth, ...c.headers } : c.headers;
    const res: Answer = c.wire !== undefined
      ? await overTcp(c.wire, c.waitMs)
      : await rawRequest(c.method, c.path, headers, c.body).catch((error: Error) => ({ status: 0, headers: new Headers(), text: error.message, body: undefined }));
    const wrong = problemsWith(c, res);
    if (wrong.length > 0) mismatches.push(`${c.name}: ${wrong.join('; ')}`);
  }
  return mismatches;
}
