import { Pool } from 'undici';
import { withCallPolicy, type CallPolicyOptions, type DownstreamSettings, type SendAttempt, type ServiceClient } from '@shopstack/http-client';
import type { Logger } from '@shopstack/logger';

/**
 * The gateway's client for one service: the services' own call policy (retries, circuit
 * breaker, fallbacks), each attempt sent through a pool of kept-alive connections (undici,
 * the HTTP client inside Node's own fetch). Far less work per request than axios, for the
 * gateway, which does little else than forward (see the README's Performance section).
 */
export function createProxyClient(service: string, baseUrl: string, settings: DownstreamSettings, logger: Logger, options: CallPolicyOptions = {}): ServiceClient {
  // `connections` bounds the sockets open to the service.
  const pool = new Pool(baseUrl, { connections: 64, keepAliveTimeout: 30_000 });
  const send: SendAttempt = async ({ method, path, headers, body, timeoutMs }) => {
    const response = await pool.request({
      method,
      path,
      headers,
      body: body ?? null,
      // One budget for the whole attempt: connect, send, and receive the body.
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.statusCode, headers: response.headers, body: Buffer.from(await response.body.arrayBuffer()) };
  };
  const client = withCallPolicy(service, send, settings, logger, options);
  return { ...client, close: () => client.close().then(() => pool.close()) };
}
