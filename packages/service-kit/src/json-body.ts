import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError } from '@shopstack/errors';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/** Bytes that are not UTF-8 are not JSON text (RFC 8259 §8.1): a 400 invalid_json, not U+FFFD. */
function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8'), { type: 'entity.parse.failed' });
}

/**
 * JSON request bodies only: a body of any other type is a 415, not a silently empty
 * `req.body`; one over `limit` is a 413; broken JSON is a 400 (both via the error middleware).
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (METHODS_WITH_BODY.has(req.method) && hasBody && !req.is('application/json')) {
      return next(new AppError(415, 'unsupported_media_type', 'The request body must be application/json'));
    }
    // JSON is UTF-8: a body labelled otherwise is refused, not decoded (body-parser takes any utf-*).
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1];
    if (METHODS_WITH_BODY.has(req.method) && hasBody && charset !== undefined && charset.toLowerCase() !== 'utf-8') {
      return next(new AppError(415, 'unsupported_charset', 'The request body charset is not supported'));
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: 'application/json', verify: requireUtf8 })];
}
