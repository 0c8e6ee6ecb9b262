import { hostname } from 'node:os';
import express, { type Express } from 'express';
import { AppError } from '@shopstack/errors';
import { requestLogger, type Logger } from '@shopstack/logger';
import { httpMetrics, type Metrics } from '@shopstack/metrics';
import { serverTiming } from '@shopstack/timing';
import { errorHandler } from './error-middleware.js';
import { readinessHandler, type ReadinessChecks } from './readiness.js';
import { requestIdFor } from './request-id.js';
import { mountRoutes } from './routes.js';

interface ServiceAppOptions {
  /** The service's name in Server-Timing: users, products, orders, gateway. */
  service: string;
  logger: Logger;
  /** The process's metrics: every request is counted and timed by its route's template. */
  metrics: Metrics;
  readiness: ReadinessChecks;
  /** More for the /ready body, which does not decide readiness (see readinessHandler). */
  readinessReport?: () => Record<string, unknown>;
  /** Adds the service's own middleware and routes, between the common head and tail. */
  routes: (app: Express) => void;
  /** Express "trust proxy": how many proxy hops in X-Forwarded-For to believe. */
  trustProxyHops?: number;
}

/**
 * The frame every service shares: metrics, timings, request id and request logging first, liveness
 * and readiness, the service's routes, then 404 and the one error middleware last.
 */
export function createServiceApp({ service, logger, metrics, readiness, readinessReport, routes, trustProxyHops = 0 }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyHops);
  app.use(httpMetrics(metrics));
  // The host name is the container's short id: `docker ps` tells which replica answered.
  app.use(serverTiming(service, hostname()));
  app.use(requestLogger(logger, requestIdFor));
  mountRoutes(app, '/', [], {
    '/health': { get: (_req, res) => void res.json({ status: 'ok' }) },
    '/ready': { get: readinessHandler(readiness, readinessReport) },
  });
  routes(app);
  // A method a known path does not take was answered by its route (see mountRoutes): this path is unknown.
  app.use((_req, _res, next) => next(AppError.notFound('Route')));
  app.use(errorHandler);
  return app;
}
