import { createServer, type RequestListener } from 'node:http';
import { AppError, errorBody } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import type { Metrics } from '@shopstack/metrics';
import { requestIdFor } from './request-id.js';

/** GET /metrics in Prometheus's text format; anything else is a JSON error, in the one error shape. */
export function metricsListener(metrics: Metrics): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const fail = (error: AppError): void => {
      const body = JSON.stringify(errorBody(error, requestIdFor(req, res)));
      res.writeHead(error.status, { ...error.headers, 'Content-Type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    if (path !== '/metrics') return fail(AppError.notFound('Route'));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return fail(new AppError(405, 'method_not_allowed', `${req.method} is not allowed here`, { headers: { Allow: 'GET, HEAD' } }));
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => fail(new AppError(500, 'internal_error', 'The metrics could not be read', { cause: error })),
    );
  };
}

export interface MetricsServer {
  close(): Promise<void>;
}

/**
 * Serves the process's metrics on METRICS_PORT, apart from the app: Prometheus reaches it
 * on the backend network, and neither nginx nor the gateway forwards to it. Listens from
 * the start, so that a service waiting for its database is seen up, and its wait measured.
 * Metrics switched off, nothing listens.
 */
export function serveMetrics(config: { METRICS_PORT: number }, metrics: Metrics, logger: Logger): MetricsServer {
  if (!metrics.enabled) {
    logger.info('metrics off (METRICS=off): no metrics port');
    return { close: () => Promise.resolve() };
  }
  const server = createServer(metricsListener(metrics));
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'metrics server error');
    process.exit(1);
  });
  server.listen(config.METRICS_PORT, () => logger.info({ port: config.METRICS_PORT }, 'serving metrics'));
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A scrape is short and Prometheus reconnects: kept-alive connections are not waited for.
        server.closeAllConnections();
      }),
  };
}
