// The one place that calls fetch. Every request is timed in the browser and summed up in an
// ApiRecord (the headers that tell what each hop did, and the JSON error if any), which
// the request log receives. When someone is signed in, each request carries their access
// token; one refused with 401 invalid_token (expired, or signed with a retired key) is sent
// once more after a refresh.

import type { ApiError, Problem } from './api-types';
import { gatewayInstance, parseServerTiming, type ServerTimingEntry } from './server-timing';

/**
 * foreground: a person's action, always logged. background: steady traffic (auto-refresh),
 * logged only on request. silent: the status polls, never logged (they would drown the log).
 */
export type LogMode = 'foreground' | 'background' | 'silent';

export interface ApiRecord {
  seq: number;
  method: string;
  path: string;
  background: boolean;
  startedAt: number;
  /** Measured in the browser: from the call to the end of the body. */
  durationMs: number;
  /** undefined when no HTTP answer came back at all. */
  status?: number;
  networkError?: string;
  requestId?: string;
  cache?: string;
  age?: string;
  retryAfter?: string;
  replayed?: string;
  error?: ApiError;
  timing: ServerTimingEntry[];
  gateway?: string;
}

export interface ApiResult<T> {
  ok: boolean;
  status?: number;
  /** The parsed body of a 2xx answer. */
  data?: T;
  /** The parsed body whatever the status (undefined when not JSON). */
  body: unknown;
  record: ApiRecord;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  log?: LogMode;
  timeoutMs?: number;
  /** The bearer token: the session's when left out, none with false (log-in, refresh, log-out). */
  bearer?: string | false;
}

/** Where the access token comes from: the session (session.ts), handed in by auth.ts. */
export interface TokenSource {
  /** The token to send, renewed first when about to expire; undefined when signed out. */
  token(): Promise<string | undefined>;
  /** After a 401 invalid_token for `rejected`: true when a newer token is ready. */
  renew(rejected: string): Promise<boolean>;
}

let tokens: TokenSource | undefined;

export function useTokens(source: TokenSource): void {
  tokens = source;
}

type Listener = (record: ApiRecord) => void;
const listeners = new Set<Listener>();
let seq = 0;

/** Hands every logged record (foreground and background) to `listener`. */
export function onRecord(listener: Listener): void {
  listeners.add(listener);
}

function readError(body: unknown): ApiError | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error as Record<string, unknown> | undefined;
  if (typeof error !== 'object' || error === null || typeof error['code'] !== 'string') return undefined;
  const details = Array.isArray(error['details'])
    ? (error['details'] as unknown[]).flatMap((d): Problem[] => {
        const item = d as Record<string, unknown> | null;
        if (!item || typeof item !== 'object') return [];
        const text = (key: string) => (typeof item[key] === 'string' ? { [key]: item[key] } : {});
        const count = (key: string) => (typeof item[key] === 'number' ? { [key]: item[key] } : {});
        return [{ message: String(item['message'] ?? ''), ...text('field'), ...text('productId'), ...count('requested'), ...count('available') }];
      })
    : undefined;
  return {
    code: error['code'],
    message: typeof error['message'] === 'string' ? error['message'] : '',
    ...(typeof error['requestId'] === 'string' ? { requestId: error['requestId'] } : {}),
    ...(details ? { details } : {}),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const bearer = options.bearer ?? (await tokens?.token());
  const result = await send<T>(method, path, options, bearer || undefined);
  // The token itself was refused (expired, or an unknown key), not a missing right: renew it
  // and try once more. Safe to repeat: a call with a refused token did nothing.
  if (result.status === 401 && result.record.error?.code === 'invalid_token' && bearer && options.bearer === undefined && tokens) {
    if (await tokens.renew(bearer)) {
      const renewed = await tokens.token();
      if (renewed) return send<T>(method, path, options, renewed);
    }
  }
  return result;
}

async function send<T>(method: string, path: string, options: RequestOptions, bearer: string | undefined): Promise<ApiResult<T>> {
  const mode = options.log ?? 'foreground';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  const record: ApiRecord = {
    seq: ++seq,
    method,
    path,
    background: mode === 'background',
    startedAt: Date.now(),
    durationMs: 0,
    timing: [],
  };
  const started = performance.now();
  let body: unknown;
  try {
    const response = await fetch(path, {
      method,
      headers,
      // Every read must reach the stack: X-Cache, Age and the breakers are what we show.
      cache: 'no-store',
      // The refresh cookie goes to this origin only (it is SameSite=Strict and HttpOnly anyway).
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
    });
    body = parseJson(await response.text());
    record.status = response.status;
    const header = (name: string): string | undefined => response.headers.get(name) ?? undefined;
    record.requestId = header('x-request-id');
    record.cache = header('x-cache');
    record.age = header('age');
    record.retryAfter = header('retry-after');
    record.replayed = header('idempotent-replayed');
    record.timing = parseServerTiming(header('server-timing'));
    record.gateway = gatewayInstance(record.timing);
    if (!response.ok) record.error = readError(body);
  } catch (error) {
    record.networkError =
      error instanceof DOMException && error.name === 'TimeoutError'
        ? `no answer within ${(options.timeoutMs ?? 0) / 1000} s`
        : 'network error: no answer (is the stack running?)';
  }
  record.durationMs = Math.round((performance.now() - started) * 10) / 10;
  if (mode !== 'silent') for (const listener of listeners) listener(record);
  const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
  return { ok, status: record.status, body, record, ...(ok ? { data: body as T } : {}) };
}

/** One line saying what went wrong, for the panels' result areas. */
export function problemText(record: ApiRecord): string {
  if (record.status === undefined) return record.networkError ?? 'no answer';
  const retry = record.retryAfter ? ` (retry after ${record.retryAfter} s)` : '';
  if (record.error) return `${record.status} ${record.error.code}: ${record.error.message}${retry}`;
  return `${record.status}: unexpected answer${retry}`;
}

/** What a problem is about, to show before its message: the product, else the field. */
export function problemSubject(problem: Problem): string {
  return problem.productId ?? (problem.field || '(body)');
}
