import { hostname } from 'node:os';
import express, { type Express } from 'express';
import { answerOptions, notFoundHandler } from './allowed-methods.js';
import { errorHandler } from './error-middleware.js';
import { requestLogger, type Logger } from '@shopstack/logger';
import { serverTiming } from '@shopstack/timing';
import { readinessHandler, type ReadinessChecks } from './readiness.js';
import { requestIdFor } from './request-id.js';

export interface ServiceAppOptions {
  /** This hop's name in Server-Timing: users, products, orders, gateway. */
  hop: string;
  logger: Logger;
  readiness: ReadinessChecks;
  /** More for the /ready body, which does not decide readiness (see readinessHandler). */
  readinessReport?: () => Record<string, unknown>;
  /** Adds the service's own middleware and routes, between the common head and tail. */
  routes: (app: Express) => void;
  /** Express "trust proxy": how many proxy hops in X-Forwarded-For to believe. */
  trustProxyHops?: number;
  /**
   * Whether OPTIONS is answered from the app's own routes before they run (true, the
   * default, for a service whose routes are all its own). An app that forwards passes false:
   * the service behind knows every method of a path the app only partly serves itself.
   */
  optionsFromOwnRoutes?: boolean;
}

/**
 * The frame every service shares: timings, request id and request logging first, liveness
 * and readiness, the service's routes, then 404 and the one error middleware last.
 */
export function createServiceApp({
  hop,
  logger,
  readiness,
  readinessReport,
  routes,
  trustProxyHops = 0,
  optionsFromOwnRoutes = true,
}: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyHops);
  // The host name is the container's short id: `docker ps` tells which replica answered.
  app.use(serverTiming(hop, hostname()));
  app.use(requestLogger(logger, requestIdFor));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', readinessHandler(readiness, readinessReport));
  if (optionsFromOwnRoutes) app.use(answerOptions);
  routes(app);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
