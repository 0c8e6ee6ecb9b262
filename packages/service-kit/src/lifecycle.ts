import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { isConnectionError, type Database } from '@shopstack/db';
import { AppError, errorBody } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import { retry } from '@shopstack/resilience';
import { answerClientError } from './client-error.js';
import { requestIdFor } from './request-id.js';

// The steps of a service's life that its server.ts calls, in the order it calls them.

/**
 * A rejection nobody handled is logged and the process goes on (Node would end it); an
 * uncaught error, such as a start step that failed, is logged and ends it with exit code 1.
 */
export function logProcessErrors(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'stopping on an uncaught error');
    process.exit(1);
  });
}

// See README, "Time budgets". The request timeout is checked every second.
const SERVER_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 1000, keepAliveTimeout: 65_000 };
// Above what nginx accepts (4 buffers of 8 kB), so that oversized headers are refused at
// the edge, with the edge's request id, rather than here.
const MAX_HEADER_BYTES = 64 * 1024;

export interface ServiceServer {
  /** Hands the held requests, and every one after, to the app: the service is started. */
  serve(app: RequestListener): void;
  /**
   * Stops accepting and resolves once every connection has closed: held requests get a
   * retryable 503, answers carry `Connection: close`, idle connections close as they go idle.
   */
  close(): Promise<void>;
}

/**
 * Listens at once, before the service can serve, so that an orchestrator with no start
 * order (Swarm, Kubernetes) tells "starting" from "dead": until serve(app), /health answers
 * alive, /ready not ready, and any other request is held (its caller gets the answer a
 * moment later, as if the port had opened then). Stopped before serve(app), the held
 * requests get a retryable 503 and the process exits 0: what was opened goes with it.
 */
export function listenWhileStarting(config: { PORT: number; SHUTDOWN_TIMEOUT_MS: number }, logger: Logger): ServiceServer {
  const held = new Set<{ req: IncomingMessage; res: ServerResponse }>();
  let app: RequestListener | undefined;
  let draining = false;
  const server = createServer({ ...SERVER_TIMEOUTS, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    // Tells keep-alive callers to reconnect, which lands them on a live instance.
    if (draining) res.setHeader('Connection', 'close');
    if (app) return app(req, res);
    if (draining || req.url === '/health' || req.url === '/ready') return answerWhileStarting(req, res);
    const request = { req, res };
    held.add(request);
    res.on('close', () => held.delete(request));
  });
  server.on('clientError', answerClientError(logger));
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'server error');
    process.exit(1);
  });
  server.listen(config.PORT, () => logger.info({ port: config.PORT }, 'listening'));

  const close = (): Promise<void> => {
    draining = true;
    for (const { req, res } of held) answerWhileStarting(req, res);
    held.clear();
    // A connection that finishes its last response becomes idle: it is closed as it does.
    const closingIdle = setInterval(() => server.closeIdleConnections(), 100).unref();
    return new Promise((resolve) =>
      server.close(() => {
        clearInterval(closingIdle);
        resolve();
      }),
    );
  };
  const stopWhileStarting = onStopSignal(config.SHUTDOWN_TIMEOUT_MS, logger, close);
  return {
    serve(started) {
      stopWhileStarting();
      app = started;
      for (const { req, res } of held) started(req, res);
      held.clear();
      logger.info('ready to serve');
    },
    close,
  };
}

function answerWhileStarting(req: IncomingMessage, res: ServerResponse): void {
  const requestId = requestIdFor(req, res);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (req.url === '/health') {
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  res.statusCode = 503;
  res.setHeader('Retry-After', '1');
  if (req.url === '/ready') {
    res.end(JSON.stringify({ status: 'not_ready', checks: {}, starting: true }));
    return;
  }
  res.end(JSON.stringify(errorBody(AppError.unavailable('service_unavailable', 'The service is starting', 1), requestId)));
}

// No deadline: with no start order (Swarm, Kubernetes), a database may come minutes after
// its service, and exiting would only restart the wait, with a stack trace each time.
const WAIT_FOR_DATABASE = { retries: Number.POSITIVE_INFINITY, baseDelayMs: 250, maxDelayMs: 4000, deadlineMs: Number.POSITIVE_INFINITY };

/**
 * Resolves once the database answers, however long that takes. Only an unreachable database
 * is waited for; any other failure (a wrong password, say) ends the start.
 */
export async function waitForDatabase(db: Database, logger: Logger): Promise<void> {
  await retry(() => db.query('SELECT 1'), {
    policy: WAIT_FOR_DATABASE,
    shouldRetry: isConnectionError,
    // The reason alone: an expected wait, not a bug, so no stack trace.
    onRetry: ({ error, delayMs }) => logger.warn({ reason: (error as Error).message, delayMs }, 'database not reachable yet; waiting'),
  });
}

/**
 * On SIGTERM or SIGINT (`docker stop`, Ctrl-C): runs `stop` once, given the time left, then
 * exits 0; exits 1 if that takes longer than `timeoutMs`. Returns what removes the handler.
 */
export function onStopSignal(timeoutMs: number, logger: Logger, stop: (msLeft: () => number) => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    removeHandler();
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = Date.now() + timeoutMs;
    setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    void stop(() => deadline - Date.now()).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  const removeHandler = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return removeHandler;
}
