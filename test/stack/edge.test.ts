import type { ConnectionOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@shopstack/testing';
import { overTcp } from './bad-input-sweep.js';
import { admin, api, compose, composeWith, exec, forgetNginxPort, rawRequest, waitHealthy } from './stack.js';
import { ADMIN } from './stack-env.js';
import { expectRedirectToHttps, expectSecureLogin, http2Get, tlsHandshake } from '../tls-client.js';

const ALL_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** Sockets in nginx's network namespace to port 3000 (the gateway), by TCP state: 01 established, 06 time-wait. */
async function gatewaySockets(): Promise<{ established: number; timeWait: number }> {
  const { output } = await exec('nginx', ['cat', '/proc/net/tcp']);
  const toGateway = output.split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((f) => f[2]?.endsWith(':0BB8'));
  return { established: toGateway.filter((f) => f[3] === '01').length, timeWait: toGateway.filter((f) => f[3] === '06').length };
}

/** The error shape every refusal answers in, with its request id. */
function expectError(res: { status: number; headers: Headers; body: unknown }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.body).toEqual({ error: { code, message: expect.any(String), requestId: res.headers.get('x-request-id') } });
}

describe('the edge', () => {
  it('keeps its connections to the gateway alive: a hundred requests, almost no new connection', async () => {
    await api('/api/products?limit=1');
    const before = await gatewaySockets();
    for (let i = 0; i < 100; i += 1) expect((await api('/api/products?limit=1')).status).toBe(200);
    const after = await gatewaySockets();
    // A connection per request would leave a hundred in TIME_WAIT; kept alive, they stay open.
    expect(after.timeWait - before.timeWait, JSON.stringify({ before, after })).toBeLessThan(10);
    expect(after.established).toBeGreaterThan(0);
  });

  it('publishes its ports on the loopback unless HTTP_BIND says otherwise', async () => {
    type Config = { services: Record<string, { ports?: Array<{ host_ip?: string; target: number }> }> };
    const resolved = async (env: Record<string, string>) => JSON.parse(await composeWith(env, '--profile', 'lab', 'config', '--format', 'json')) as Config;
    const bound = (config: Config) => ['nginx', 'nginx-lab'].flatMap((name) => config.services[name]!.ports!.map((port) => `${name} ${port.host_ip}:${port.target}`));
    expect(bound(await resolved({}))).toEqual(['nginx 127.0.0.1:80', 'nginx-lab 127.0.0.1:80']);
    expect(bound(await resolved({ HTTPS_PORT: '8443' }))).toEqual(['nginx 127.0.0.1:80', 'nginx 127.0.0.1:8443', 'nginx-lab 127.0.0.1:80']);
    expect(bound(await resolved({ HTTP_BIND: '0.0.0.0' }))).toEqual(['nginx 0.0.0.0:80', 'nginx-lab 0.0.0.0:80']);
  });

  it('serves localhost and 127.0.0.1, and refuses any other Host with a JSON 421', async () => {
    for (const host of ['localhost', '127.0.0.1', 'localhost:8080']) {
      expect((await rawRequest('GET', '/api/products?limit=1', { host })).status, host).toBe(200);
    }
    for (const [path, host] of [['/api/products?limit=1', 'evil.example'], ['/', 'attacker.test:8080'], ['/health', '192.168.1.20']] as const) {
      const res = await rawRequest('GET', path, { host });
      expectError(res, 421, 'misdirected_request');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('sends nosniff everywhere, no-store on personal data, a framing policy on pages, and Server-Timing', async () => {
    const { auth } = await admin();
    const answers = {
      console: await api('/'),
      me: await api('/api/users/me', { headers: auth }),
      orders: await api('/api/orders', { headers: auth }),
      login: await api('/api/auth/login', { method: 'POST', json: ADMIN }),
      docs: await api('/api/docs/'),
      products: await api('/api/products?limit=1'),
      notFound: await api('/nowhere'),
      unauthorized: await api('/api/users'),
    };
    for (const [name, res] of Object.entries(answers)) expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
    for (const name of ['me', 'orders', 'login', 'console'] as const) expect(answers[name].headers.get('cache-control'), name).toBe('no-store');
    expect(answers.products.headers.get('cache-control')).not.toBe('no-store');
    for (const name of ['docs', 'console'] as const) {
      expect(answers[name].headers.get('x-frame-options'), name).toBe('DENY');
      expect(answers[name].headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
    }
    expect(answers.products.headers.get('server-timing')).toMatch(/gateway;.*nginx;dur=\d+/);
  });

  it('answers every 405 of its own with Allow: TRACE, CONNECT, made-up methods', async () => {
    for (const method of ['TRACE', 'FOO', 'PROPFIND']) {
      const res = await rawRequest(method, '/api/products');
      expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow'), method).toBe(ALL_METHODS);
    }
    const connect = await overTcp('CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(connect.status).toBe(405);
    expect(connect.headers.get('allow')).toBeTruthy();
    const consolePost = await rawRequest('POST', '/', {}, '{}');
    expectError(consolePost, 405, 'method_not_allowed');
    expect(consolePost.headers.get('allow')).toBe('GET, HEAD');
  });

  describe('with HTTPS_PORT set', () => {
    let httpsPort: number;
    let ca: string;
    const hsts = 'max-age=63072000';
    const env = () => ({ HTTPS_PORT: String(httpsPort), PUBLIC_HOST: 'shop.test', SERVER_TIMING: 'off' });

    beforeAll(async () => {
      httpsPort = await freePort();
      // users too: its refresh cookie turns Secure with HTTPS on.
      await composeWith(env(), 'up', '-d', '--wait', 'nginx', 'users');
      forgetNginxPort();
      // The secrets job's self-signed certificate, made again for PUBLIC_HOST.
      ca = (await exec('nginx', ['cat', '/run/secrets/tls_cert'])).output;
    }, 180_000);

    afterAll(async () => {
      // Back as the other test files expect it: plain HTTP only, users' cookie as before.
      await compose('up', '-d', '--wait', 'nginx', 'users');
      forgetNginxPort();
      await waitHealthy('nginx');
    }, 180_000);

    const handshake = (options: ConnectionOptions) => tlsHandshake(httpsPort, ca, options);

    it("speaks TLS 1.3 with the certificate it made, TLS 1.2 with Mozilla's intermediate ciphers only, nothing older", async () => {
      expect(await handshake({ minVersion: 'TLSv1.3' })).toMatch(/^TLSv1\.3 /);
      expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
      // Refused by nginx (an alert), not by this client: SECLEVEL=0 lets it offer what it would not by default.
      expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0' })).toMatch(/handshake failure/i);
      expect(await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' })).toMatch(/protocol version/i);
    });

    it('speaks HTTP/2, with HSTS, and no Server-Timing once turned off', async () => {
      const headers = await http2Get(httpsPort, ca, '/api/products?limit=1');
      expect(headers[':status']).toBe(200);
      expect(headers['strict-transport-security']).toBe(hsts);
      expect(headers['server-timing']).toBeUndefined();
    });

    it('redirects plain HTTP to HTTPS (the healthcheck excepted), and serves PUBLIC_HOST', async () => {
      await expectRedirectToHttps(rawRequest, httpsPort);
      expect((await rawRequest('GET', '/', { host: 'other.test' })).status).toBe(421);
    });

    it('logs the admin in over HTTPS with a Secure refresh cookie', async () => {
      await expectSecureLogin(httpsPort, ca, ADMIN, hsts);
    });
  });
});
