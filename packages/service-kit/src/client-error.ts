import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, errorBody } from '@shopstack/errors';
import type { Logger } from '@shopstack/logger';
import { requestIdFrom } from './request-id.js';

// Node's HTTP parser refuses some requests before Express ever sees them (an unknown
// method, oversized headers, a broken request line) and by default answers them with an
// empty body. These answers keep the one error shape instead.
const ANSWERS: Record<string, [status: number, code: string, message: string]> = {
  HPE_INVALID_METHOD: [405, 'method_not_allowed', 'Method not allowed'],
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request line or headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive'],
};
const MALFORMED: [number, string, string] = [400, 'bad_request', 'Malformed request'];
// A 405 must say what is allowed (RFC 9110 §15.5.6); the parser stopped before the path,
// so this is every method the services use anywhere.
const ANY_ROUTE_ALLOWS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** The response Node has already begun for this socket's request, if any. */
type SocketWithResponse = Duplex & { _httpMessage?: { headersSent?: boolean; req?: { headers?: Record<string, unknown> } } };

/** A `clientError` listener for an http.Server: a JSON error, then the connection closes. */
export function answerClientError(logger: Logger) {
  return (error: Error & { code?: string }, socket: Duplex): void => {
    // A client that hung up gets no answer; nor does one whose response headers are out.
    const response = (socket as SocketWithResponse)._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
    // A request whose head was read (one too slow to send its body) keeps its id.
    const requestId = requestIdFrom(response?.req?.headers);
    logger.warn({ requestId, status, reason: error.code ?? error.message }, 'refused a malformed request');
    const body = JSON.stringify(errorBody(new AppError(status, code, message), requestId));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-ID: ${requestId}\r\n` +
        (status === 405 ? `Allow: ${ANY_ROUTE_ALLOWS}\r\n` : '') +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}
