import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shopstack/errors';
import { createLogger } from '@shopstack/logger';
import { RequestTimings, runWithTimings } from '@shopstack/timing';
import { axiosTransport } from './axios-transport.js';
import { createServiceClient, type ServiceClient } from './service-client.js';
import { undiciTransport } from './undici-transport.js';

// A real HTTP server on loopback that fails a set number of times, then answers. It fails
// with a status, or with no answer at all (the connection dropped).
let failuresLeft = 0;
let failWith: number | 'no answer' = 'no answer';
const seen: Array<{ method: string; url: string; requestId?: string; idempotencyKey?: string }> = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method!,
      url: req.url!,
      requestId: req.headers['x-request-id'] as string | undefined,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    });
    if (req.url === '/missing') return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      if (failWith === 'no answer') return req.socket.destroy();
      return res.writeHead(failWith).end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-cache': 'miss', 'server-timing': 'catalog;dur=1.5, catalog-db;dur=1' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const silent = createLogger({ service: 'test', level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
let client: ServiceClient;

// The same behaviour whichever transport sends the attempts: axios (the services) or undici (the gateway).
describe.each(['axios', 'undici'] as const)('service client over %s', (transport) => {
  beforeEach(async () => {
    failuresLeft = 0;
    failWith = 'no answer';
    seen.length = 0;
    await client?.close();
    client = createServiceClient({
      service: 'catalog',
      baseUrl,
      timeoutMs: 1000,
      logger: silent,
      transport: transport === 'undici' ? undiciTransport(baseUrl) : axiosTransport(baseUrl),
      retry: { retries: 6, baseDelayMs: 1, maxDelayMs: 2, deadlineMs: 1000 },
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 },
    });
  });

  it('retries a GET that got no answer and passes the request id on every attempt', async () => {
    failuresLeft = 2;
    const res = await client.request({ method: 'GET', path: '/things/1', requestId: 'req-1' });
    expect(res).toMatchObject({ status: 200, data: { ok: true }, headers: { 'x-cache': 'miss' } });
    expect(seen).toHaveLength(3);
    expect(seen.every((call) => call.requestId === 'req-1')).toBe(true);
    // The breaker counts every attempt; too few failures here to open it.
    expect(client.status()).toMatchObject({ state: 'closed', counts: { fires: 3, successes: 1, failures: 2 } });
  });

  it('never retries a POST without an idempotency key', async () => {
    failuresLeft = 1;
    await expect(client.request({ method: 'POST', path: '/things', body: { a: 1 } })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });

  it('retries a POST that carries an idempotency key, sending the key each time', async () => {
    failuresLeft = 1;
    const res = await client.request({ method: 'POST', path: '/things', body: { a: 1 }, idempotencyKey: 'key-1' });
    expect(res.status).toBe(200);
    expect(seen.map((call) => call.idempotencyKey)).toEqual(['key-1', 'key-1']);
  });

  it('answers 4xx as they are, without retrying or counting a failure', async () => {
    const res = await client.request({ method: 'GET', path: '/missing' });
    expect(res.status).toBe(404);
    expect(seen).toHaveLength(1);
    expect(client.status().counts.failures).toBe(0);
  });

  it('takes a 5xx answer as final: not retried, not a breaker failure, mapped to 502, 503 or 504', async () => {
    failuresLeft = 100;
    for (const [answered, status, code] of [
      [500, 502, 'bad_gateway'],
      [503, 503, 'service_unavailable'],
      [504, 504, 'gateway_timeout'],
    ] as const) {
      failWith = answered;
      seen.length = 0;
      for (let i = 0; i < 5; i += 1) {
        const error = await client.request({ method: 'GET', path: '/things/1' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ status, code });
      }
      expect(seen).toHaveLength(5);
    }
    // The service answered every time: its circuit stays closed.
    expect(client.status()).toMatchObject({ state: 'closed', counts: { failures: 0, successes: 15 } });
  });

  it('opens within a single call to a dead downstream, stops its retries, then fails fast with 503 and Retry-After', async () => {
    failuresLeft = 100;
    const first = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    // Four failed attempts reach the volume threshold: the fifth is never sent.
    expect(seen).toHaveLength(4);
    expect(client.status().state).toBe('open');
    // The caller learns how the attempts that were made failed, not just that the circuit is open.
    expect(first).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect((first as AppError).cause).toBeInstanceOf(Error);
    expect(((first as AppError).cause as { code?: string }).code).not.toBe('EOPENBREAKER');

    const error = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', headers: { 'Retry-After': '60' } });
    expect(((error as AppError).cause as { code?: string }).code).toBe('EOPENBREAKER');
    expect(seen).toHaveLength(4);
  });



  it('opens at the end of the first call whose every attempt went unanswered, however few calls were seen', async () => {
    const lone = createServiceClient({
      service: 'lone',
      baseUrl,
      timeoutMs: 1000,
      logger: silent,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2, deadlineMs: 1000 },
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 },
    });
    try {
      failuresLeft = 2;
      // Two unanswered attempts, then an answer: a restart ridden out, the circuit stays closed.
      expect((await lone.request({ method: 'GET', path: '/x' })).status).toBe(200);
      expect(lone.status().state).toBe('closed');
      // A POST without a key is tried once: one lost answer says little, the circuit stays closed.
      failuresLeft = 100;
      await expect(lone.request({ method: 'POST', path: '/x', body: {} })).rejects.toMatchObject({ status: 503 });
      expect(lone.status().state).toBe('closed');
      // Three unanswered attempts, the whole budget: open, and the next call is refused at once.
      await expect(lone.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 503 });
      expect(lone.status().state).toBe('open');
      seen.length = 0;
      await expect(lone.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(seen).toHaveLength(0);
    } finally {
      await lone.close();
    }
  });

  it("times the call as a part of the caller's request and passes the service's own timings on", async () => {
    failuresLeft = 1;
    const timings = new RequestTimings('gateway');
    await runWithTimings(timings, () => client.request({ method: 'GET', path: '/things/1' }));
    expect(timings.header()).toMatch(/^gateway;dur=[\d.]+, gateway-catalog;desc="2 attempts";dur=[\d.]+, catalog;dur=1.5, catalog-db;dur=1$/);

    failuresLeft = 100;
    const failed = new RequestTimings('gateway');
    await runWithTimings(failed, () => client.request({ method: 'GET', path: '/x' }).catch(() => undefined));
    expect(failed.header()).toMatch(/gateway-catalog;desc="\d attempts, service_unavailable"/);
    const refused = new RequestTimings('gateway');
    await runWithTimings(refused, () => client.request({ method: 'GET', path: '/x' }).catch(() => undefined));
    expect(refused.header()).toContain('gateway-catalog;desc="circuit open"');
  });

  it('uses the fallback when the call fails, and counts it', async () => {
    failuresLeft = 100;
    const res = await client.request(
      { method: 'GET', path: '/x' },
      { fallback: async (error) => ({ status: 200, headers: { 'x-cache': 'stale' }, body: Buffer.alloc(0), data: { from: error.code } }) },
    );
    expect(res).toMatchObject({ status: 200, data: { from: 'service_unavailable' } });
    expect(client.status().fallbacks).toBe(1);
  });

  it('reports a refused connection as 503 service_unavailable', async () => {
    const dead = createServiceClient({
      service: 'nobody',
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 500,
      logger: silent,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, deadlineMs: 100 },
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 10, resetTimeoutMs: 1000, rollingWindowMs: 10_000 },
    });
    await expect(dead.request({ method: 'GET', path: '/' })).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    await dead.close();
  });
});
