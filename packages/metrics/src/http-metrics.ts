import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

const ROUTE = Symbol('metrics route');
const STARTED = Symbol('metrics started');

/** What Express adds to a request, read without depending on Express. */
type Request = IncomingMessage & { [ROUTE]?: string; route?: { path?: unknown }; baseUrl?: string };
type Response = ServerResponse & { [STARTED]?: number };

/** Requests no route took (404s): one label value, however many paths are tried. */
const UNMATCHED = 'unmatched';

/**
 * Names the route that took this request, as a template (`/orders/:id`): its label in the
 * HTTP metrics. The last one named wins, so a mount names its prefix and its routes refine it.
 */
export function labelRoute(req: IncomingMessage, template: string): void {
  (req as Request)[ROUTE] = template;
}

/** A middleware that names the route of every request that reaches it (see labelRoute). */
export function routeLabel(template: string) {
  return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    (req as Request)[ROUTE] = template;
    next();
  };
}

/** The route's template: named by labelRoute, else the Express route that matched, else `unmatched`. Never the raw path. */
function routeOf(req: Request): string {
  const named = req[ROUTE];
  if (named !== undefined) return named;
  const path = req.route?.path;
  return typeof path === 'string' ? (req.baseUrl ?? '') + path : UNMATCHED;
}

interface Child {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * http_requests_total, http_request_duration_seconds and http_requests_in_flight, first in
 * the app so that every request counts. Measured when the response has gone: by then the
 * route that took the request is known. Each label combination's counters are looked up in
 * nested maps rather than from a label object, so a request costs no allocation here.
 */
export function httpMetrics(metrics: Metrics) {
  // Switched off: not even a listener per request, so that the bench's "off" costs nothing.
  if (!metrics.enabled) return (_req: IncomingMessage, _res: ServerResponse, next: () => void): void => next();
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = metrics.counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames });
  const durations = metrics.histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request, in seconds', labelNames });
  const inFlight = metrics.gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being answered now' });
  const children = new Map<string, Map<string, Map<number, Child>>>();

  function childOf(route: string, method: string, status: number): Child {
    let byMethod = children.get(route);
    if (!byMethod) children.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) {
      const counter = requests.labels(route, method, String(status));
      const histogram = durations.labels(route, method, String(status));
      child = { inc: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      byStatus.set(status, child);
    }
    return child;
  }

  // One listener for every response ('close' comes after the last byte, or when the client
  // left): no closure made per request.
  function onClose(this: Response): void {
    inFlight.dec();
    // A client that left before the answer was complete got none: not counted as answered.
    if (!this.writableFinished) return;
    const child = childOf(routeOf(this.req as Request), this.req.method ?? 'GET', this.statusCode);
    child.inc();
    child.observe((performance.now() - this[STARTED]!) / 1000);
  }

  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    inFlight.inc();
    (res as Response)[STARTED] = performance.now();
    res.on('close', onClose);
    next();
  };
}
