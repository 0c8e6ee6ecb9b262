import { ZodError, type core } from 'zod';
import { AppError, type Problem } from './app-error.js';

// Errors raised by express.json / express.raw (the body-parser package) carry a `type`.
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'The request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'The request body charset is not supported'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted'],
  'request.size.invalid': [400, 'invalid_body_size', 'The request body size does not match Content-Length'],
};

/**
 * One problem per field, in words a client can act on: an unknown key is named as its own
 * field, and a missing one says "is required" rather than zod's "received undefined".
 */
function fieldProblems(issue: core.$ZodIssue): Problem[] {
  const field = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(body)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'is not allowed' }));
  }
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return [{ field: field(issue.path), message: missing ? 'is required' : issue.message }];
}

/** Maps anything thrown in a request to the one AppError shape. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const details = error.issues.flatMap(fieldProblems);
    return AppError.badRequest('validation_failed', 'The request has invalid fields', details);
  }
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type;
    const known = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
    if (known) return new AppError(known[0], known[1], known[2], { cause: error });
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new AppError(status, 'bad_request', 'The request could not be processed', { cause: error });
    }
  }
  return new AppError(500, 'internal_error', 'Internal server error', { cause: error });
}
