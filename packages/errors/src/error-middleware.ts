import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '@shopstack/logger';
import { AppError } from './app-error.js';
import { toAppError } from './to-app-error.js';

type RequestWithContext = { id?: unknown; log?: Logger };

// What a client sees of a 5xx: the status and code, never the internal message or details.
const PUBLIC_5XX_MESSAGES: Record<number, string> = {
  502: 'Bad gateway',
  503: 'Service temporarily unavailable',
  504: 'Upstream timed out',
};

/** The body every error answer has; a 5xx keeps its status and code but not its message or details. */
export function errorBody(appError: AppError, requestId: string | undefined) {
  const hidden = appError.status >= 500;
  return {
    error: {
      code: appError.code,
      message: hidden ? (PUBLIC_5XX_MESSAGES[appError.status] ?? 'Internal server error') : appError.message,
      requestId,
      ...(appError.details && !hidden ? { details: appError.details } : {}),
    },
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(AppError.notFound('Route'));
};

/**
 * The one error middleware: logs with the request's logger (so the line carries the
 * request id) and answers `{ error: { code, message, requestId, details? } }`.
 */
export function errorHandler(fallbackLogger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const appError = toAppError(error);
    const { id, log = fallbackLogger } = req as typeof req & RequestWithContext;
    if (appError.status >= 500) log.error({ err: error, code: appError.code }, appError.message);
    else log.info({ code: appError.code, status: appError.status }, appError.message);

    // Too late to send an error body: let Express close the connection.
    if (res.headersSent) return next(error);

    res
      .status(appError.status)
      .set(appError.headers)
      .json(errorBody(appError, typeof id === 'string' ? id : undefined));
  };
}
