import { Router, type Express, type RequestHandler } from 'express';
import { AppError } from '@shopstack/errors';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Each path's handler by method, as the API document lists a path's operations. */
export type Routes = Record<string, Partial<Record<Method, RequestHandler>>>;

/**
 * Adds `routes` to `target` through Express's own routing. On each of their paths, any other
 * method is a 405 with Allow (RFC 9110 §15.5.6) and OPTIONS a 204 with Allow (§9.3.7); HEAD is
 * allowed wherever GET is, since Express answers it with the GET handler.
 */
function addRoutes(target: Pick<Router, 'route'>, routes: Routes): void {
  for (const [path, handlers] of Object.entries(routes)) {
    const route = target.route(path);
    const methods = Object.keys(handlers) as Method[];
    for (const method of methods) route[method](handlers[method]!);
    const allow = methods.flatMap((method) => (method === 'get' ? ['GET', 'HEAD'] : [method.toUpperCase()])).sort().join(', ');
    route.all((req, res, next) => {
      if (req.method === 'OPTIONS') return void res.set('Allow', allow).status(204).end();
      next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed here`, { headers: { Allow: allow } }));
    });
  }
}

/**
 * Serves `routes` under `path`, behind `handlers` (a token check, a body parser), and lists
 * them in the app's `locals` as "METHOD /path/{param}", the API document's spelling: what an
 * app serves can then be read (see routesOf) without walking Express's internals.
 */
export function mountRoutes(app: Express, path: string, handlers: Array<RequestHandler | RequestHandler[]>, routes: Routes): void {
  if (path === '/' && handlers.length === 0) {
    // On the app itself: a router of their own would be one more step for every request.
    addRoutes(app, routes);
  } else {
    const router = Router();
    addRoutes(router, routes);
    app.use(path, ...handlers, router);
  }
  const listed = ((app.locals['routes'] as string[] | undefined) ??= []);
  for (const [subPath, methods] of Object.entries(routes)) {
    const full = path === '/' ? subPath : `${path}${subPath === '/' ? '' : subPath}`;
    for (const method of Object.keys(methods)) listed.push(`${method.toUpperCase()} ${full.replace(/:(\w+)/g, '{$1}')}`);
  }
}

/** Every route mountRoutes served in `app`, sorted. */
export const routesOf = (app: Express): string[] => [...((app.locals['routes'] as string[] | undefined) ?? [])].sort();
