/** One HTTP attempt, as a transport sends it: relative to the client's base URL. */
export interface TransportRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  timeoutMs: number;
}

/** Any HTTP answer, 5xx included: what the service sent, untouched. */
export interface TransportResponse {
  status: number;
  /** Lower-case names, repeated values joined by ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** How the attempt got no answer: it timed out, or never reached the service (refused, unknown name, reset). */
export class NoAnswer extends Error {
  override readonly name = 'NoAnswer';

  constructor(
    readonly reason: 'timeout' | 'unreachable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Sends one attempt and resolves with whatever the service answered, or rejects with a
 * NoAnswer. Retries, the breaker and error mapping are the service client's, whatever the
 * transport.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}
