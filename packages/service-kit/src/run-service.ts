import { createServer, type RequestListener } from 'node:http';
import { z } from 'zod';
import { ConfigError, env, parseConfig } from '@shopstack/config';
import { createLogger, type Logger } from '@shopstack/logger';
import { answerClientError } from './client-error.js';
import { whileStarting } from './starting.js';

/** Settings every service reads; each service's schema extends this one. */
export const baseConfigSchema = z.object({
  PORT: env.port().default(3000),
  LOG_LEVEL: env.logLevel().default('info'),
  /** Below Docker's 10 s stop grace period, so we exit before we are killed. */
  SHUTDOWN_TIMEOUT_MS: env.integer({ min: 0, max: 60_000 }).default(8000),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;

export interface RunningService {
  handler: RequestListener;
  /** Releases connections (pools, Redis) once no request is in flight. */
  close(): Promise<void>;
}

export interface ServiceDefinition<S extends z.ZodType<BaseConfig>> {
  name: string;
  config: S;
  /** Connects, migrates and builds the app; only called with a valid config. */
  start(config: z.output<S>, logger: Logger): Promise<RunningService>;
}

// Longer than the keep-alive of the callers in front (nginx 60 s, Node agents 5 s), so it
// is always the caller that closes an idle connection and never races a request.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// A request's head must arrive within 10 s and the whole request within 15 s (checked every
// second), else a JSON 408: a client trickling its body a byte at a time cannot hold a
// request open. nginx streams bodies through, so this is the bound for the whole stack.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
// Above what nginx accepts (4 buffers of 8 kB), so that oversized headers are refused at
// the edge, with the edge's request id, rather than here.
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * The life of a service process: config (exit 1 naming every bad key), start, listen, and
 * on SIGTERM/SIGINT stop accepting, let in-flight requests finish, release connections and
 * exit, or exit 1 if that takes longer than SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<S extends z.ZodType<BaseConfig>>(
  definition: ServiceDefinition<S>,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  let config: z.output<S>;
  try {
    config = parseConfig(definition.config, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger({ service: definition.name, level: 'info' }).fatal({ problems: error.problems }, error.message);
    process.exitCode = 1;
    return;
  }

  const logger = createLogger({ service: definition.name, level: config.LOG_LEVEL });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  // Listening comes first: while start() waits for a dependency, /health answers alive,
  // /ready not ready, and other requests wait (see starting.ts), so the container is
  // reported starting, not dead.
  let running: RunningService | undefined;
  const starting = whileStarting();
  let draining = false;
  const serverOptions = {
    requestTimeout: REQUEST_TIMEOUT_MS,
    headersTimeout: HEADERS_TIMEOUT_MS,
    connectionsCheckingInterval: 1000,
    maxHeaderSize: MAX_HEADER_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  };
  const server = createServer(serverOptions, (req, res) => {
    // Tell keep-alive callers to reconnect, which lands them on a live instance.
    if (draining) res.setHeader('Connection', 'close');
    (running?.handler ?? starting.handler)(req, res);
  });
  server.on('clientError', answerClientError(logger));
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'server error');
    process.exit(1);
  });
  server.listen(config.PORT, () => logger.info({ port: config.PORT }, `${definition.name} listening`));

  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    // Connections that finish their last response become idle; close them as they do.
    setInterval(() => server.closeIdleConnections(), 100).unref();
    // Stopped while still starting: the held requests get their 503 now, as their open
    // connections would keep server.close waiting; what start() had opened goes with the
    // process. Once started, nothing is held and this does nothing.
    starting.refuse();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await running?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    running = await definition.start(config, logger);
    starting.release(running.handler);
    logger.info(`${definition.name} ready to serve`);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}
