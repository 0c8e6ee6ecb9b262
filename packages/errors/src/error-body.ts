import type { AppError } from './app-error.js';

// What a client sees of a 5xx: the status and code, never the internal message or details.
// The same words as nginx's own answers for the same statuses (nginx/snippets/json-errors.conf).
const PUBLIC_5XX_MESSAGES: Record<number, string> = {
  502: 'Bad gateway: an upstream service failed',
  503: 'Service temporarily unavailable',
  504: 'An upstream service did not answer in time',
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
