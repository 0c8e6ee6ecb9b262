import { Pool, errors } from 'undici';
import { NoAnswer, type Transport } from './transport.js';

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Calls through a pool of kept-alive connections (undici, the HTTP client inside Node's
 * own fetch): far less work per request than axios, for the gateway, which does little
 * else than forward. `connections` bounds the sockets open to the service.
 */
export function undiciTransport(baseUrl: string, connections = 64): Transport {
  const pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000 });
  return {
    async send({ method, path, headers, body, timeoutMs }) {
      try {
        const response = await pool.request({
          method: method as 'GET',
          path,
          headers,
          body: body ?? null,
          // One budget for the whole attempt: connect, send, and receive the body.
          signal: AbortSignal.timeout(timeoutMs),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        return { status: response.statusCode, headers: flat, body: Buffer.from(await response.body.arrayBuffer()) };
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const timedOut = TIMEOUTS.has(code) || (error as Error).name === 'TimeoutError' || error instanceof errors.RequestAbortedError;
        throw new NoAnswer(timedOut ? 'timeout' : 'unreachable', (error as Error).message, { cause: error });
      }
    },
    close: () => pool.close(),
  };
}
