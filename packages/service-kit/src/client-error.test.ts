import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shopstack/logger';
import { answerClientError } from './client-error.js';

let server: Server;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  server.on('clientError', answerClientError(createLogger({ service: 'test', level: 'silent' })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes raw bytes, as no HTTP client would, and reads until the server closes. */
function sendRaw(bytes: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { statusLine: head.split('\r\n')[0], head, body: JSON.parse(body) as { error: { code: string; requestId: string } } };
}

describe('answerClientError', () => {
  it('answers an unknown method with a JSON 405 that says which methods exist, instead of an empty 400', async () => {
    const answer = parse(await sendRaw('BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer.statusLine).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(answer.head).toContain('Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n');
    expect(answer.head).toMatch(/content-type: application\/json/i);
    expect(answer.body.error).toEqual({ code: 'method_not_allowed', message: 'Method not allowed', requestId: expect.any(String) });
    expect(answer.head).toContain(`X-Request-ID: ${answer.body.error.requestId}`);
  });

  it('answers a broken request line and oversized headers as JSON too', async () => {
    expect(parse(await sendRaw('GET / HTTX/1.1\r\n\r\n')).body.error.code).toBe('bad_request');
    const huge = parse(await sendRaw(`GET / HTTP/1.1\r\nHost: x\r\nX-Filler: ${'y'.repeat(20_000)}\r\n\r\n`));
    expect(huge.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(huge.body.error.code).toBe('headers_too_large');
  });

  it('answers a request whose body trickles in too slowly with a JSON 408 that keeps its request id', async () => {
    const slow = createServer({ requestTimeout: 300, headersTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    slow.on('clientError', answerClientError(createLogger({ service: 'test', level: 'silent' })));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = slow.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Request-ID: slow-1\r\nContent-Length: 100\r\n\r\nab'));
        // One more byte now and then: each resets an idle timer, but not the request's.
        const trickle = setInterval(() => socket.writable && socket.write('c'), 100);
        let text = '';
        socket.setEncoding('utf8');
        socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => {
          clearInterval(trickle);
          resolve(text);
        });
        socket.on('error', reject);
      });
      const parsed = parse(answer);
      expect(parsed.statusLine).toBe('HTTP/1.1 408 Request Timeout');
      expect(parsed.body.error).toMatchObject({ code: 'request_timeout', requestId: 'slow-1' });
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
