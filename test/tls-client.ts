import { connect as http2Connect, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import type { IncomingHttpHeaders as Http1Headers } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { expect } from 'vitest';

/**
 * What the stack and swarm tests ask nginx's HTTPS port on this machine, as `localhost`,
 * trusting only `ca` (the certificate nginx serves, self-signed).
 */

/** A TLS handshake with these options: the protocol and cipher agreed, or the error that ended it. */
export function tlsHandshake(port: number, ca: string, options: ConnectionOptions = {}): Promise<string> {
  return new Promise<string>((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...options }, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.end();
    }).on('error', (error) => resolve(error.message));
  });
}

/** A GET over HTTP/2 (refused by the client if nginx does not offer it): the answer's headers. */
export async function http2Get(port: number, ca: string, path: string): Promise<IncomingHttpHeaders & IncomingHttpStatusHeader> {
  const session = http2Connect(`https://localhost:${port}`, { ca });
  try {
    return await new Promise((resolve, reject) => {
      session.on('error', reject);
      const stream = session.request({ ':path': path });
      stream.on('response', (headers) => { resolve(headers); stream.resume(); }).on('error', reject);
      stream.end();
    });
  } finally {
    session.close();
  }
}

/** A JSON POST over HTTPS (HTTP/1.1): the status and headers of the answer. */
function httpsPostJson(port: number, ca: string, path: string, json: unknown): Promise<{ status: number; headers: Http1Headers }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, servername: 'localhost', ca, method: 'POST', path,
      headers: { host: 'localhost', 'content-type': 'application/json' } }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      res.resume();
    });
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

/** The attributes of a Set-Cookie header's cookie of this name (`Secure`, `HttpOnly`, `Path=/`…). */
const cookieAttributes = (setCookie: string[] | undefined, name: string): string[] | undefined =>
  setCookie?.find((cookie) => cookie.startsWith(`${name}=`))?.split(';').slice(1).map((part) => part.trim());

type RawRequest = (method: string, path: string, headers?: Record<string, string>) => Promise<{ status: number; headers: Headers }>;

/**
 * Plain HTTP, with HTTPS on: a 308 to the same URL over HTTPS at the host asked for, with no
 * HSTS (it means nothing over plain HTTP); the healthcheck still answered over plain HTTP.
 */
export async function expectRedirectToHttps(rawRequest: RawRequest, httpsPort: number): Promise<void> {
  const redirected = await rawRequest('GET', '/api/products?limit=1', { host: 'localhost' });
  expect(redirected.status).toBe(308);
  expect(redirected.headers.get('location')).toBe(`https://localhost:${httpsPort}/api/products?limit=1`);
  expect(redirected.headers.get('strict-transport-security')).toBeNull();
  expect((await rawRequest('GET', '/', { host: 'shop.test' })).headers.get('location')).toBe(`https://shop.test:${httpsPort}/`);
  expect((await rawRequest('GET', '/health', { host: '127.0.0.1' })).status).toBe(200);
}

/** The admin's login over HTTPS: 200, with HSTS, and a refresh cookie marked Secure. */
export async function expectSecureLogin(httpsPort: number, ca: string, admin: { email: string; password: string }, hsts: string): Promise<void> {
  const login = await httpsPostJson(httpsPort, ca, '/api/auth/login', admin);
  expect(login.status).toBe(200);
  expect(login.headers['strict-transport-security']).toBe(hsts);
  expect(cookieAttributes(login.headers['set-cookie'], 'refresh_token')).toContain('Secure');
}
