import express, { type RequestHandler } from 'express';
import { AppError } from '@shopstack/errors';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

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
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: 'application/json' })];
}
