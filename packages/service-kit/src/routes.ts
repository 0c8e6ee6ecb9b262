import { Router, type Express, type RequestHandler } from 'express';
import { AppError } from '@shopstack/errors';
import { routeLabel } from '@shopstack/metrics';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Each path's handler by method, as the API document lists a path's operations. */
export type Routes = Record<string, Partial<Record<Method, RequestHandler>>>;

/** A route's path as the app serves it: `/orders/:id` for `/:id` mounted at `/orders`. */
const fullPath = (mount: string, path: string) => (mount === '/' ? path : `${mount}${path === '/' ? '' : path}`);

/**
 * Adds `routes`, mounted at `mount`, to `target` through Express's own routing. Each route
 * first names its template for the HTTP metrics, worked out once here rather than per request. On each of their paths, any other
 * method is a 405 with Allow (RFC 9110 §15.5.6) and OPTIONS a 204 with Allow (§9.3.7); HEAD is
 * allowed wherever GET is, since Express answers it with the GET handler.
 */
function addRoutes(target: Pick<Router, 'route'>, mount: string, routes: Routes): void {
  for (const [path, handlers] of Object.entries(routes)) {
    const route = target.route(path);
    route.all(routeLabel(fullPath(mount, path)));
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
    addRoutes(app, path, routes);
  } else {
    const router = Router();
    addRoutes(router, path, routes);
    // A request its handlers refuse (a 401) reached no route: it is labelled with the mount's prefix.
    app.use(path, routeLabel(`${path === '/' ? '' : path}/*`), ...handlers, router);
  }
  const listed = ((app.locals['routes'] as string[] | undefined) ??= []);
  for (const [subPath, methods] of Object.entries(routes)) {
    const full = fullPath(path, subPath).replace(/:(\w+)/g, '{$1}');
    for (const method of Object.keys(methods)) listed.push(`${method.toUpperCase()} ${full}`);
  }
}

/** Every route mountRoutes served in `app`, sorted. */
export const routesOf = (app: Express): string[] => [...((app.locals['routes'] as string[] | undefined) ?? [])].sort();
