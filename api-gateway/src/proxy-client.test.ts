import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayHaveReached } from '@shopstack/http-client';
import { captureLogger, fastClientSettings } from '@shopstack/testing';
import { createProxyClient } from './proxy-client.js';

// What is the proxy client's own: how undici sends an attempt and reports its failures. The
// policy itself is @shopstack/http-client's, tested there.
const cleared = 'refresh_token=; Path=/api/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict';
let drops = 0;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 300);
    if (drops > 0) {
      drops -= 1;
      return req.socket.destroy();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': [cleared, 'theme=dark; Path=/'] }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const silent = captureLogger('api-gateway', 'silent').logger;
// Retries on a millisecond scale: one retry a call.
const settings = fastClientSettings();

describe('proxy client', () => {
  it('passes the answer on with each Set-Cookie line whole, the comma of an Expires date included', async () => {
    const client = createProxyClient('users', baseUrl, settings, silent);
    const res = await client.request({ method: 'POST', path: '/auth/logout' });
    expect(res).toMatchObject({ status: 200, data: { ok: true }, setCookie: [cleared, 'theme=dark; Path=/'] });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await client.probe('/ready', 500))?.status).toBe(200);
    await client.close();
  });

  it('retries a connection dropped before the answer, which may have been received', async () => {
    const client = createProxyClient('users', baseUrl, settings, silent);
    drops = 1;
    expect((await client.request({ method: 'GET', path: '/users/1' })).status).toBe(200);
    expect(client.status().counts).toMatchObject({ fires: 2, failures: 1 });
    drops = 2;
    const error = await client.request({ method: 'GET', path: '/users/1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(mayHaveReached(error)).toBe(true);
    await client.close();
  });

  it('reports an attempt over its time as 504, and a refused one as never received', async () => {
    const slow = createProxyClient('orders', baseUrl, settings, silent, { timeoutMs: 100 });
    const late = await slow.request({ method: 'POST', path: '/slow' }).catch((e: unknown) => e);
    expect(late).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect(mayHaveReached(late)).toBe(true);
    await slow.close();

    const dead = createProxyClient('orders', 'http://127.0.0.1:1', settings, silent);
    const refused = await dead.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(mayHaveReached(refused)).toBe(false);
    expect(await dead.probe('/ready', 500)).toBeUndefined();
    await dead.close();
  });
});
