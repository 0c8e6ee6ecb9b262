import type { ErrorRequestHandler } from 'express';
import { isConnectionError } from '@shopstack/db';
import { AppError, errorBody, toAppError } from '@shopstack/errors';
import { requestContext } from './request-context.js';

/**
 * The one error middleware: logs with the request's logger (so the line carries the
 * request id) and answers `{ error: { code, message, requestId, details? } }`.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  // A lost database is a 503 the caller may retry, not a bug (500).
  const appError = isConnectionError(error)
    ? AppError.unavailable('dependency_unavailable', 'A dependency is unavailable', 5, error)
    : toAppError(error);
  const { requestId, log } = requestContext(req);
  if (appError.status >= 500) log.error({ err: error, code: appError.code }, appError.message);
  else log.info({ code: appError.code, status: appError.status }, appError.message);

  // Too late to send an error body: let Express close the connection.
  if (res.headersSent) return next(error);

  res.status(appError.status).set(appError.headers).json(errorBody(appError, requestId));
};
