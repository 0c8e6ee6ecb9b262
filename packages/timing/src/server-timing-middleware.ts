import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { RequestTimings, runWithTimings } from './request-timings.js';

/**
 * Gives each request its timings and writes them as a `Server-Timing` header just before
 * the headers go out (browsers' devtools show it; so does `curl -i`). `desc` names this
 * instance, so a client can tell which replica answered.
 */
export function serverTiming(service: string, desc?: string) {
  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const timings = new RequestTimings(service, desc);
    onHeaders(res, () => res.setHeader('Server-Timing', timings.header()));
    runWithTimings(timings, next);
  };
}
