import { connect as http2Connect, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from 'node:http2';
import type { IncomingHttpHeaders as Http1Headers } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

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
export function httpsPostJson(port: number, ca: string, path: string, json: unknown): Promise<{ status: number; headers: Http1Headers }> {
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
export const cookieAttributes = (setCookie: string[] | undefined, name: string): string[] | undefined =>
  setCookie?.find((cookie) => cookie.startsWith(`${name}=`))?.split(';').slice(1).map((part) => part.trim());
