import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';

export type RequestIdGenerator = (req: IncomingMessage, res: ServerResponse) => string;

// Probes hit these every few seconds; logging them would bury the real traffic.
const QUIET_PATHS = new Set(['/health', '/ready']);

// Express rewrites req.url inside mounted routers; originalUrl is what the client asked for.
const originalUrl = (req: IncomingMessage) => (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;

/**
 * Express middleware that gives every request `req.log`, a child logger whose every line
 * carries `requestId`, and logs one line when the response is finished.
 */
export function requestLogger(logger: Logger, genReqId: RequestIdGenerator) {
  return pinoHttp({
    logger,
    genReqId,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${originalUrl(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${originalUrl(req)} ${res.statusCode}`,
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        method: req.method,
        url: req.url,
        userAgent: req.headers['user-agent'],
        forwardedFor: req.headers['x-forwarded-for'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
