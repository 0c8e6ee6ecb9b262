import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppError, errorBody } from '@shopstack/errors';
import { requestIdFor } from './request-id.js';

/**
 * What a service does with requests while it is still starting (waiting for its database,
 * say). /health answers alive and /ready not ready, so that an orchestrator with no start
 * order (Swarm, Kubernetes) tells "starting" from "dead" without the process restarting in
 * a loop. Any other request is held until the service can serve it: a caller that sent it
 * during a restart gets its answer a moment later, as it would have had the port still
 * been closed and its retry come later; one that gives up first just closes its connection.
 */
export function whileStarting() {
  const held = new Set<{ req: IncomingMessage; res: ServerResponse }>();
  let refusing = false;

  const handler: RequestListener = (req, res) => {
    if (refusing || req.url === '/health' || req.url === '/ready') {
      answer(req, res);
      return;
    }
    const request = { req, res };
    held.add(request);
    res.on('close', () => held.delete(request));
  };

  return {
    handler,
    /** Hands every held request to the started service. */
    release(serve: RequestListener): void {
      for (const { req, res } of held) serve(req, res);
      held.clear();
    },
    /** Stopping before the start finished: the held requests, and any after, get a retryable 503. */
    refuse(): void {
      refusing = true;
      for (const { req, res } of held) answer(req, res);
      held.clear();
    },
  };
}

function answer(req: IncomingMessage, res: ServerResponse): void {
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
