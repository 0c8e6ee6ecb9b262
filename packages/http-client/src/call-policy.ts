import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import { nextRetryDelay } from '@shopstack/resilience';
import { currentTimings } from '@shopstack/timing';
import { breakerStatus, createBreaker, isOpenCircuit, type BreakerStatus } from './breaker.js';
import { callMetrics, type CallOutcome } from './call-metrics.js';
import { serviceResponse, type RawResponse, type ServiceResponse } from './service-response.js';
import type { CallPolicyOptions, DownstreamSettings } from './settings.js';

export interface ServiceRequest {
  method: 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query string, relative to the base URL. */
  path: string;
  /** A JSON value, or the raw bytes of a body being passed through. */
  body?: unknown;
  headers?: Record<string, string>;
  requestId?: string;
  /** Makes a POST or PATCH safe to retry; sent as Idempotency-Key. */
  idempotencyKey?: string;
}

interface CallOptions<T> {
  /** The request's logger, so retries and failures are logged with its request id. */
  log?: Logger;
  /** Called when the call fails (down, timing out, 5xx, circuit open); its answer is used instead. */
  fallback?: (error: AppError) => Promise<ServiceResponse<T> | undefined>;
}

export interface ServiceClient {
  readonly service: string;
  /** Answers any status below 500; throws an AppError (502/503/504) when the call fails. */
  request<T = unknown>(request: ServiceRequest, options?: CallOptions<T>): Promise<ServiceResponse<T>>;
  /** One quick GET outside the breaker and retries, for readiness reports; undefined when no answer came. */
  probe(path: string, timeoutMs: number): Promise<ServiceResponse | undefined>;
  status(): BreakerStatus & { fallbacks: number };
  close(): Promise<void>;
}

/** One attempt as it goes out: relative to the base URL, its body encoded. */
interface Attempt {
  method: ServiceRequest['method'];
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Connect, send and receive. */
  timeoutMs: number;
}

/** Sends one attempt: resolves with any HTTP answer, 5xx included; rejects, with the HTTP library's own error, when none came. */
export type SendAttempt = (attempt: Attempt) => Promise<RawResponse>;

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// What the error codes of Node's sockets, axios and undici say about an attempt that got no
// answer. A timeout is axios's (clarifyTimeoutError), undici's own connect timeout (10 s), or
// an AbortSignal.timeout's TimeoutError.
const NEVER_CONNECTED = new Set<unknown>(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMED_OUT = new Set<unknown>(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | undefined)?.code;
const isTimeout = (error: unknown): boolean => (error as Error | undefined)?.name === 'TimeoutError' || TIMED_OUT.has(codeOf(error));
/** Refused, or a name that does not resolve (a stopped container's): nothing was sent. */
const neverConnected = (error: unknown): boolean => NEVER_CONNECTED.has(codeOf(error));

/** How much a failed attempt tells the caller: a timeout may have been applied, a reset may have been received, a refusal was not. */
const weight = (error: unknown): number => (isTimeout(error) ? 3 : isOpenCircuit(error) ? 0 : neverConnected(error) ? 1 : 2);

/**
 * Whether a failed call may have been received by the service, and so changed something
 * there: false when its circuit was open or no attempt connected; true when any attempt
 * timed out, was cut off after connecting, or the service answered 5xx.
 */
export function mayHaveReached(error: unknown): boolean {
  const failure = error instanceof AppError ? error.cause : error;
  return !isOpenCircuit(failure) && !neverConnected(failure);
}

const answerOutcome = (status: number): CallOutcome => (status >= 500 ? 'http_error' : 'ok');
const failureOutcome = (error: unknown): CallOutcome => (isOpenCircuit(error) ? 'rejected' : isTimeout(error) ? 'timeout' : 'unreachable');

/** A JSON value as bytes; bytes being passed through as they are. */
function encode(body: unknown): Buffer | string | undefined {
  if (body === undefined || Buffer.isBuffer(body) || typeof body === 'string') return body;
  return JSON.stringify(body);
}

function toAttempt(request: ServiceRequest, timeoutMs: number): Attempt {
  const body = encode(request.body);
  const headers = {
    ...(body !== undefined && !request.headers?.['content-type'] ? { 'content-type': 'application/json' } : {}),
    ...request.headers,
    ...(request.requestId ? { 'x-request-id': request.requestId } : {}),
    // Even an empty key is passed on: the service must see it to refuse it.
    ...(request.idempotencyKey !== undefined ? { 'idempotency-key': request.idempotencyKey } : {}),
  };
  return { method: request.method, path: request.path, headers, body, timeoutMs };
}

/**
 * A ServiceClient (one circuit breaker) for one service, sending each attempt with `send`
 * under the call policy that every caller shares: see `call` below.
 */
export function withCallPolicy(service: string, send: SendAttempt, settings: DownstreamSettings, logger: Logger, { timeoutMs = settings.DOWNSTREAM_TIMEOUT_MS, metrics }: CallPolicyOptions = {}): ServiceClient {
  const retryPolicy = { retries: settings.RETRY_ATTEMPTS, baseDelayMs: settings.RETRY_BASE_DELAY_MS, maxDelayMs: settings.RETRY_MAX_DELAY_MS, deadlineMs: settings.RETRY_DEADLINE_MS };
  const retryAfterSeconds = Math.max(1, Math.ceil(settings.BREAKER_RESET_TIMEOUT_MS / 1000));
  // The breaker sees attempts, and counts as failed only those that got no answer: a 5xx
  // comes from a service that is up and says what is wrong (often a dependency of its own);
  // counting it would spread one service's outage to every route of another.
  const breaker = createBreaker(service, send, settings, logger);
  const measure = metrics && callMetrics(metrics, service, breaker);
  let fallbacks = 0;

  /**
   * The policy. Only an attempt that got no answer is retried, and only when repeating it
   * is safe: a POST without an idempotency key may have been applied before its answer was
   * lost. Any answer, 5xx included, is final: the service has already retried its own calls.
   * The failure kept for the caller is the most telling of the attempts (see `weight`).
   */
  async function call(request: ServiceRequest, log: Logger): Promise<{ attempts: number; answer?: RawResponse; failure?: unknown }> {
    const attempt = toAttempt(request, timeoutMs);
    const idempotent = IDEMPOTENT_METHODS.has(request.method) || request.idempotencyKey !== undefined;
    const startedAt = Date.now();
    let failure: unknown;
    for (let attempts = 1; ; attempts += 1) {
      try {
        const answer = await breaker.fire(attempt);
        measure?.attempt(answerOutcome(answer.status));
        return { attempts, answer };
      } catch (error) {
        measure?.attempt(failureOutcome(error));
        // Opened by earlier attempts (this call's or others'): the attempts made still tell how they failed.
        if (isOpenCircuit(error)) return { attempts: attempts - 1, failure: failure ?? error };
        if (failure === undefined || weight(error) >= weight(failure)) failure = error;
        const delayMs = idempotent ? nextRetryDelay(attempts, retryPolicy, Date.now() - startedAt) : undefined;
        if (delayMs === undefined) {
          // Every attempt allowed went unanswered, for the whole retry budget: the service is
          // down, not restarting (a restart answers within the budget). Opening now makes the
          // next callers fail fast, however few calls the rolling window has seen.
          if (idempotent) breaker.open();
          return { attempts, failure };
        }
        log.warn({ downstream: service, retryNumber: attempts, delayMs, reason: (error as Error).message }, `retrying ${service}`);
        await sleep(delayMs);
      }
    }
  }

  /** The caller's own error for a call that failed: with `status` when the service answered one. */
  function failedCall(failure: unknown, status?: number): AppError {
    if (status === 504) return new AppError(504, 'gateway_timeout', `${service} answered 504: a service behind it did not answer in time`, { cause: failure });
    if (status !== undefined && status !== 503) return new AppError(502, 'bad_gateway', `${service} answered ${status}`, { cause: failure });
    if (isOpenCircuit(failure)) return AppError.unavailable('service_unavailable', `${service} is unavailable (circuit open)`, retryAfterSeconds, failure);
    if (isTimeout(failure)) return new AppError(504, 'gateway_timeout', `${service} did not answer in time`, { cause: failure });
    return AppError.unavailable('service_unavailable', `${service} is unavailable`, retryAfterSeconds, failure);
  }

  return {
    service,
    async request<T>(request: ServiceRequest, { log = logger, fallback }: CallOptions<T> = {}): Promise<ServiceResponse<T>> {
      // The time this request waited on the service, retries included, is a part of the
      // caller's Server-Timing named after the service; the service's own entries follow.
      const timings = currentTimings();
      const end = timings?.begin(service);
      const startedAt = performance.now();
      const { attempts, answer, failure } = await call(request, log);
      measure?.call(answer ? answerOutcome(answer.status) : failureOutcome(failure), (performance.now() - startedAt) / 1000);
      const tried = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
      let error: AppError;
      if (answer) {
        const response = serviceResponse<T>(answer);
        end?.(tried);
        timings?.passOn(response.headers['server-timing']);
        if (response.status < 500) return response;
        error = failedCall(new Error(`${service} answered ${response.status}`), response.status);
      } else {
        error = failedCall(failure);
        end?.(attempts === 0 ? 'circuit open' : `${tried}, ${error.code}`);
      }
      log.warn({ downstream: service, code: error.code, reason: (error.cause as Error).message }, `${service} call failed`);
      const replacement = fallback ? await fallback(error) : undefined;
      if (replacement === undefined) throw error;
      fallbacks += 1;
      return replacement;
    },
    probe: (path, probeTimeoutMs) => send({ method: 'GET', path, headers: {}, timeoutMs: probeTimeoutMs }).then(serviceResponse, () => undefined),
    status: () => ({ ...breakerStatus(breaker), fallbacks }),
    close: async () => void breaker.shutdown(),
  };
}
