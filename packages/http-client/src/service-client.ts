import { AppError } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import { retry, type RetryPolicy } from '@shopstack/resilience';
import { currentTimings } from '@shopstack/timing';
import { axiosTransport } from './axios-transport.js';
import { breakerStatus, createBreaker, type BreakerSettings, type BreakerStatus } from './breaker.js';
import { serviceResponse, type ServiceResponse } from './service-response.js';
import { NoAnswer, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export type { ServiceResponse } from './service-response.js';

export interface ServiceClientOptions {
  /** The downstream's name, used in logs, errors and /api/status. */
  service: string;
  baseUrl: string;
  /** Per attempt: connect, send and receive. */
  timeoutMs: number;
  retry: RetryPolicy;
  breaker: BreakerSettings;
  logger: Logger;
  /** How attempts are sent; axios unless another is given (see undici-transport.ts). */
  transport?: Transport;
}

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

export interface CallOptions<T> {
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

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A 5xx answer: final, and mapped to the caller's own 502, 503 or 504. */
class DownstreamFailure extends Error {
  constructor(readonly response: TransportResponse) {
    super(`answered ${response.status}`);
  }
}

/** No answer at all: refused, reset, an unknown name (a container being restarted), or timed out. */
const isUnanswered = (error: unknown): boolean => error instanceof NoAnswer;
const isTimeout = (error: unknown): boolean => error instanceof NoAnswer && error.reason === 'timeout';

function isOpenCircuit(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'EOPENBREAKER';
}

/**
 * Whether a failed call was refused by its open circuit without being sent: the service
 * never saw it, so it changed nothing there.
 */
export function isCircuitOpen(error: unknown): boolean {
  return error instanceof AppError && isOpenCircuit(error.cause);
}

/** A JSON value as bytes; bytes being passed through as they are. */
function encode(body: unknown): Buffer | string | undefined {
  if (body === undefined || Buffer.isBuffer(body) || typeof body === 'string') return body;
  return JSON.stringify(body);
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { service, logger } = options;
  const retryAfterSeconds = Math.max(1, Math.ceil(options.breaker.resetTimeoutMs / 1000));
  const transport = options.transport ?? axiosTransport(options.baseUrl);
  let fallbacks = 0;

  /** The request as every attempt of a call sends it: encoded once. */
  function toTransport(request: ServiceRequest): TransportRequest {
    const body = encode(request.body);
    return {
      method: request.method,
      path: request.path,
      body,
      timeoutMs: options.timeoutMs,
      headers: {
        ...(body !== undefined && !request.headers?.['content-type'] ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
        ...(request.requestId ? { 'x-request-id': request.requestId } : {}),
        // Even an empty key is passed on: the service must see it to refuse it.
        ...(request.idempotencyKey !== undefined ? { 'idempotency-key': request.idempotencyKey } : {}),
      },
    };
  }

  /** One attempt; any HTTP answer, 5xx included, resolves. `sent` counts the call's attempts. */
  async function attempt(request: TransportRequest, sent: { attempts: number }): Promise<TransportResponse> {
    sent.attempts += 1;
    return transport.send(request);
  }

  // The breaker measures whether the service answers at all, attempt by attempt: a dead or
  // hanging service opens it within the first call's retries, even for a client sending one
  // request at a time, and once it is open the remaining retries stop at once. A 5xx answer
  // comes from a service that is up and says what is wrong (often a dependency of its own):
  // counting it would spread one service's outage to every route of another.
  const breaker = createBreaker(service, attempt, options.breaker, logger);

  async function send(request: ServiceRequest, log: Logger, sent: { attempts: number }): Promise<TransportResponse> {
    const idempotent = IDEMPOTENT_METHODS.has(request.method) || request.idempotencyKey !== undefined;
    const prepared = toTransport(request);
    // How the attempts that were made failed; a timeout is kept, as it may have been applied.
    let attemptFailure: unknown;
    try {
      return await retry(
        async () => {
          try {
            return await breaker.fire(prepared, sent);
          } catch (error) {
            if (!isOpenCircuit(error) && !isTimeout(attemptFailure)) attemptFailure = error;
            throw error;
          }
        },
        {
          policy: options.retry,
          // Only an unanswered attempt is retried, and only when repeating it is safe: a POST
          // without an idempotency key may have been applied before its answer was lost. A
          // 5xx answer is final here: the service has already retried its own calls.
          shouldRetry: (error) => idempotent && isUnanswered(error),
          onRetry: ({ error, retryNumber, delayMs }) =>
            log.warn({ downstream: service, retryNumber, delayMs, reason: (error as Error).message }, `retrying ${service}`),
        },
      );
    } catch (error) {
      // Every attempt this call was allowed went unanswered, for its whole retry budget:
      // the service is down, not restarting (a restart answers within the budget). The
      // circuit opens now, so the next callers fail fast instead of paying the same wait,
      // however few calls the rolling window has seen.
      if (idempotent && isUnanswered(error)) breaker.open();
      // A circuit that opened between retries did not undo the attempts already made: the
      // caller learns how those failed, since one may have been applied (a timeout).
      throw isOpenCircuit(error) && attemptFailure !== undefined ? attemptFailure : error;
    }
  }

  function toAppError(error: unknown): AppError {
    if (isOpenCircuit(error)) {
      return AppError.unavailable('service_unavailable', `${service} is unavailable (circuit open)`, retryAfterSeconds, error);
    }
    if (isTimeout(error)) return new AppError(504, 'gateway_timeout', `${service} did not answer in time`, { cause: error });
    if (error instanceof DownstreamFailure && error.response.status === 504) {
      return new AppError(504, 'gateway_timeout', `${service} answered 504: a service behind it did not answer in time`, { cause: error });
    }
    if (error instanceof DownstreamFailure && error.response.status !== 503) {
      return new AppError(502, 'bad_gateway', `${service} answered ${error.response.status}`, { cause: error });
    }
    return AppError.unavailable('service_unavailable', `${service} is unavailable`, retryAfterSeconds, error);
  }

  return {
    service,
    async request<T>(request: ServiceRequest, call: CallOptions<T> = {}): Promise<ServiceResponse<T>> {
      const log = call.log ?? logger;
      // The time this request waited on the service, retries included, is a part of the
      // caller's Server-Timing named after the service; the service's own entries follow.
      const timings = currentTimings();
      const sent = { attempts: 0 };
      const end = timings?.begin(service);
      const attempts = () => `${sent.attempts} attempt${sent.attempts === 1 ? '' : 's'}`;
      try {
        const response = await send(request, log, sent);
        end?.(attempts());
        timings?.passOn(response.headers['server-timing']);
        if (response.status >= 500) throw new DownstreamFailure(response);
        return serviceResponse<T>(response);
      } catch (error) {
        const appError = toAppError(error);
        end?.(sent.attempts === 0 ? 'circuit open' : `${attempts()}, ${appError.code}`);
        log.warn({ downstream: service, code: appError.code, reason: (error as Error).message }, `${service} call failed`);
        const fallback = call.fallback ? await call.fallback(appError) : undefined;
        if (fallback === undefined) throw appError;
        fallbacks += 1;
        return fallback;
      }
    },
    async probe(path, timeoutMs) {
      try {
        return serviceResponse(await transport.send({ method: 'GET', path, headers: {}, timeoutMs }));
      } catch {
        return undefined;
      }
    },
    status: () => ({ ...breakerStatus(breaker), fallbacks }),
    async close() {
      breaker.shutdown();
      await transport.close();
    },
  };
}
