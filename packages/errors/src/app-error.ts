/**
 * One thing wrong with a request, the one shape of every error's `details`: the field it is
 * about (when it is about one), what is wrong, and for a product the numbers that tell why.
 */
export interface Problem {
  field?: string;
  message: string;
  productId?: string;
  requested?: number;
  available?: number;
}

export interface AppErrorOptions {
  details?: readonly Problem[];
  /** Response headers that belong with this error, such as Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error type of the stack. `code` is a stable machine-readable string clients can
 * branch on; `message` is for humans. For 5xx errors the message is replaced before it
 * reaches a client, so internals never leak.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly details: AppErrorOptions['details'];
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  static badRequest(code: string, message: string, details?: AppErrorOptions['details']): AppError {
    return new AppError(400, code, message, { details });
  }

  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', `${what} not found`);
  }

  static conflict(code: string, message: string, details?: AppErrorOptions['details']): AppError {
    return new AppError(409, code, message, { details });
  }

  static unprocessable(code: string, message: string, details?: AppErrorOptions['details']): AppError {
    return new AppError(422, code, message, { details });
  }

  static unavailable(code: string, message: string, retryAfterSeconds: number, cause?: unknown): AppError {
    return new AppError(503, code, message, { headers: { 'Retry-After': String(retryAfterSeconds) }, cause });
  }
}
