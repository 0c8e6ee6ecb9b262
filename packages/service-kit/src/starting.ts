import type { RequestListener } from 'node:http';
import { requestIdFor } from './request-id.js';

/**
 * What a service answers while it is still starting (waiting for its database, say): alive,
 * not ready, and a retryable 503 for anything else. Listening this early lets an
 * orchestrator with no start order (Swarm, Kubernetes) tell "starting" from "dead" without
 * the process restarting in a loop.
 */
export const answerWhileStarting: RequestListener = (req, res) => {
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
  res.end(JSON.stringify({ error: { code: 'service_unavailable', message: 'The service is starting', requestId } }));
};
