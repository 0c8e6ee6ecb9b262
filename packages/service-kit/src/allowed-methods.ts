import type { RequestHandler } from 'express';
import { AppError } from '@shopstack/errors';

/** What Express's router holds; read, never changed. */
interface Layer {
  match(path: string): false | { path: string };
  route?: { _methods(): string[] };
  handle?: { stack?: Layer[] };
}

/**
 * The methods the app's routes accept for `path`, HEAD included wherever GET is (Express
 * answers it), following routers mounted under a prefix. Empty for a path no route knows.
 */
function allowedMethods(app: { router: unknown }, path: string): string[] {
  const found = new Set<string>();
  const walk = (stack: Layer[], rest: string): void => {
    for (const layer of stack) {
      const matched = layer.match(rest);
      if (!matched) continue;
      if (layer.route) for (const method of layer.route._methods()) found.add(method.toUpperCase());
      else if (layer.handle?.stack) walk(layer.handle.stack, rest.slice(matched.path.length) || '/');
    }
  };
  walk((app.router as { stack: Layer[] }).stack, path);
  return [...found].sort();
}

/** OPTIONS on a known path: 204 and what it allows (RFC 9110 §9.3.7), before any route answers. */
export const answerOptions: RequestHandler = (req, res, next) => {
  if (req.method !== 'OPTIONS') return next();
  const allowed = allowedMethods(req.app, req.path);
  if (allowed.length === 0) return next();
  res.set('Allow', allowed.join(', ')).status(204).end();
};

/**
 * After every route: a known path asked with a method it does not take is a 405 with Allow,
 * not a 404; OPTIONS that no route took (a forwarder passes it on first) answers 204 here.
 */
export const notFoundHandler: RequestHandler = (req, res, next) => {
  const allowed = allowedMethods(req.app, req.path);
  if (allowed.length === 0) return next(AppError.notFound('Route'));
  if (req.method === 'OPTIONS') return void res.set('Allow', allowed.join(', ')).status(204).end();
  next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed here`, { headers: { Allow: allowed.join(', ') } }));
};
